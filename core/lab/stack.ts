/** Checks a lab stack against its rules and runs it forward, layer by layer. */
import { ConvLabError, check } from '../errors';
import { LIMITS } from '../limits';
import { pairText } from '../geometry';
import { ACTIVATION_NAMES, kindOf, type ActivationSpec, type LeafKind, type AvgPoolSpec, type MaxPoolSpec } from '../layers';
import { activation } from '../ops/activation';
import { conv2d, conv2dGeometry, conv2dParams, type Conv2dParams } from '../ops/conv2d';
import { pool2d, pool2dParams, pool2dShape } from '../ops/pool2d';
import type { RfLayer } from '../receptive-field';
import { checkFinite, shapeText, sizeOf, type Tensor } from '../tensor';
import type { Tape, Var } from '../tape';
import type { LabConv, LabLayer, MapData } from './types';

type Shape4 = [number, number, number, number];

/** The settings and tensors of a checked convolution: what the incremental stack windows. */
export interface CheckedConv {
  params: Conv2dParams;
  weight: Tensor;
  bias: Float32Array;
}

/**
 * A layer after checking: its kind, its input and output shapes, its step of the receptive field, and how it runs
 * forward, on plain tensors and on the tape. Only a convolution carries `conv` (the incremental stack windows it).
 */
export interface CheckedLayer {
  type: LabLayer['type'];
  rf: RfLayer;
  input: Shape4;
  output: Shape4;
  conv?: CheckedConv;
  forward(x: Tensor): Tensor;
  onTape(t: Tape, x: Var): Var;
}

const IDENTITY: RfLayer = { kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] };

/** Checks an NCHW input shape against LIMITS. */
export function checkInputShape(shape: readonly number[], what = 'input'): Shape4 {
  check(Array.isArray(shape) && shape.length === 4, 'shape', () => `${what} must be NCHW (rank 4), got shape ${shapeText(shape ?? [])}`);
  for (const d of shape) check(Number.isInteger(d) && d >= 1, 'shape', () => `${what} shape ${shapeText(shape)} must be whole sizes ≥ 1`);
  const [n, c, h, w] = shape;
  check(n <= LIMITS.maxBatch, 'limit', () => `${what} batch ${n} is above the limit of ${LIMITS.maxBatch}`);
  check(c <= LIMITS.maxChannels, 'limit', () => `${what} has ${c} channels, above the limit of ${LIMITS.maxChannels}`);
  check(h <= LIMITS.maxImageSide && w <= LIMITS.maxImageSide, 'limit',
    () => `${what} ${h}×${w} is above the limit of ${LIMITS.maxImageSide}×${LIMITS.maxImageSide}`);
  return [n, c, h, w];
}

/** Checks a map's data matches its shape and holds only finite numbers. */
export function checkMap(m: MapData, what = 'input'): Shape4 {
  const shape = checkInputShape(m.shape, what);
  check(m.data instanceof Float32Array, 'format', () => `${what} data must be a Float32Array`);
  check(m.data.length === sizeOf(shape), 'shape',
    () => `${what} has ${m.data.length} values but its shape ${shapeText(shape)} needs ${sizeOf(shape)}`);
  checkFinite(m.data, what);
  return shape;
}

function checkConv(spec: LabConv, input: Shape4): CheckedLayer {
  const params = conv2dParams({ stride: spec.stride, padding: spec.padding, dilation: spec.dilation, flip: spec.flip });
  check(typeof spec.flip === 'boolean', 'format', () => 'flip must be true or false');
  const ws = spec.weight.shape;
  check(Array.isArray(ws) && ws.length === 4 && ws.every((d) => Number.isInteger(d) && d >= 1), 'shape',
    () => `weight must be OIHW with whole sizes ≥ 1, got shape ${shapeText(ws ?? [])}`);
  const wanted = [spec.outChannels, spec.inChannels, ...spec.kernel];
  check(ws.every((d, i) => d === wanted[i]), 'shape',
    () => `weight has shape ${shapeText(ws)} but ${spec.outChannels} output and ${spec.inChannels} input channels of ${pairText(spec.kernel)} kernels need ${shapeText(wanted)}`);
  check(spec.weight.data.length === sizeOf(ws), 'shape',
    () => `weight has ${spec.weight.data.length} values but its shape ${shapeText(ws)} needs ${sizeOf(ws)}`);
  checkFinite(spec.weight.data, 'weight');
  const g = conv2dGeometry(input, ws, params);
  check(spec.bias.length === g.cout, 'shape', () => `bias has ${spec.bias.length} values but the weight has ${g.cout} output channels`);
  checkFinite(spec.bias, 'bias');
  const conv: CheckedConv = { params, weight: { shape: ws, data: spec.weight.data }, bias: spec.bias };
  return {
    type: spec.type, conv,
    rf: { kernel: [g.kh, g.kw], stride: params.stride, padding: params.padding, dilation: params.dilation },
    input, output: [g.n, g.cout, g.oh, g.ow],
    forward: (x) => conv2d(x, conv.weight, conv.bias, params),
    onTape: (t, x) => t.conv2d(x, t.leaf(conv.weight, false), t.leaf({ shape: [conv.bias.length], data: conv.bias }, false), params),
  };
}

function checkPool(spec: MaxPoolSpec | AvgPoolSpec, input: Shape4): CheckedLayer {
  if (spec.type === 'avgpool') check(typeof spec.countIncludePad === 'boolean', 'format', () => 'countIncludePad must be true or false');
  const params = pool2dParams((kindOf(spec) as LeafKind<MaxPoolSpec | AvgPoolSpec>).poolOptions!(spec));
  return {
    type: spec.type, rf: { ...IDENTITY, kernel: params.kernel, stride: params.stride, padding: params.padding },
    input, output: pool2dShape(input, params),
    forward: (x) => pool2d(x, params),
    onTape: (t, x) => t.pool2d(x, params),
  };
}

function checkActivation(spec: ActivationSpec, input: Shape4): CheckedLayer {
  const fn = spec.type;
  return { type: fn, rf: IDENTITY, input, output: input, forward: (x) => activation(x, fn), onTape: (t, x) => t.activation(x, fn) };
}

/**
 * The kinds the lab's stack runs, each with its check: a convolution, the two poolings and the activations. The
 * table's rows know the rest of each kind (its shapes, its text, its parameters); this says only how the lab runs it
 * on plain tensors, with the kernels the incremental stack must match bit for bit.
 */
const LAB_KINDS = new Map<string, (spec: never, input: Shape4) => CheckedLayer>([
  ['conv2d', checkConv], ['maxpool', checkPool], ['avgpool', checkPool],
  ...ACTIVATION_NAMES.map((fn) => [fn, checkActivation] as const),
]);

function checkLayer(spec: LabLayer, input: Shape4): CheckedLayer {
  const checkKind = LAB_KINDS.get(spec?.type);
  if (checkKind === undefined) {
    throw new ConvLabError('format', `the lab's stack has no layer type '${String(spec?.type)}'; it runs ${[...LAB_KINDS.keys()].join(', ')}`);
  }
  return checkKind(spec as never, input);
}

/**
 * Checks every layer in turn; errors are prefixed "layer k (kind): " (k counts from 1). `maxLayers` is lifted only
 * by conformance runs, whose reference stacks (VGG-16 to pool5) are deeper than the app allows.
 */
export function checkStack(input: readonly number[], layers: readonly LabLayer[], maxLayers: number = LIMITS.maxLayers): CheckedLayer[] {
  let shape = checkInputShape(input);
  check(Array.isArray(layers), 'format', () => 'layers must be a list');
  check(layers.length <= maxLayers, 'limit', () => `${layers.length} layers is above the limit of ${maxLayers}`);
  return layers.map((spec, i) => {
    try {
      const c = checkLayer(spec, shape);
      shape = c.output;
      return c;
    } catch (e) {
      if (e instanceof ConvLabError) throw e.within(`layer ${i + 1} (${String(spec?.type)}): `);
      throw e;
    }
  });
}

/** Runs one checked layer forward. */
export function forwardLayer(l: CheckedLayer, x: Tensor): Tensor {
  return l.forward(x);
}

function asMap(t: Tensor): MapData {
  return { shape: t.shape as Shape4, data: t.data };
}

/**
 * Forward through the stack; outputs[i] is the output of layers[i]. Throws a ConvLabError naming the layer
 * ("layer 2 (conv2d): kernel 5×5 is larger than the padded input 4×4") on bad settings.
 */
export function runStack(input: MapData, layers: LabLayer[]): { outputs: MapData[] } {
  checkMap(input);
  const checked = checkStack(input.shape, layers);
  let x: Tensor = input;
  const outputs = checked.map((l) => asMap((x = forwardLayer(l, x))));
  return { outputs };
}

/** Output shape of each layer without computing; throws the same errors as runStack. */
export function stackShapes(input: [number, number, number, number], layers: LabLayer[]): [number, number, number, number][] {
  return checkStack(input, layers).map((l) => l.output);
}

