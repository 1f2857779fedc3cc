/**
 * Version 4 of the lab file: the stack's layers are named by the layer table's kinds (core/layers), as the engine
 * names them: `conv2d` (its channels and kernel beside its weights), `maxpool`, `avgpool`, `relu`, `sigmoid`, `tanh`.
 * Versions 1 to 3 named them `conv`, `pool` (with a mode) and `act` (with a function); restoring one renames each
 * layer and keeps every value. The kinds are listed here, not read from the table: a version's format is frozen,
 * and a kind added to the table later is a new version. Everything else is as in version 3.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { ACTIVATION_NAMES } from '../../core/layers';
import { bool, convTensorsCheck, int, object, pair, received, TrainingHistoryV1, TrainingSettingsV1, values } from './lab-file-v1';
import { channelChainCheck, InputV2 } from './lab-file-v2';
import { NetV3, type LabV3 } from './lab-file-v3';

const Conv2dV4 = v.pipe(
  object(
    {
      type: v.literal('conv2d'),
      outChannels: int(1, LIMITS.maxChannels, 'output channels'),
      inChannels: int(1, LIMITS.maxChannels, 'input channels'),
      kernel: pair(1, LIMITS.maxKernelSide, 'kernel size'),
      weight: values('kernel value', LIMITS.maxChannels * LIMITS.maxChannels * LIMITS.maxKernelSide ** 2),
      bias: values('bias', LIMITS.maxChannels),
      stride: pair(1, LIMITS.maxStride, 'stride'),
      padding: pair(0, LIMITS.maxPadding, 'padding'),
      dilation: pair(1, LIMITS.maxDilation, 'dilation'),
      flip: bool('flip'),
    },
    'a layer',
  ),
  convTensorsCheck((layer) => layer.kernel),
);
const poolWindow = {
  kernel: pair(1, LIMITS.maxKernelSide, 'pooling window'),
  stride: pair(1, LIMITS.maxStride, 'stride'),
  padding: pair(0, LIMITS.maxPadding, 'padding'),
};
const MaxPoolV4 = object({ type: v.literal('maxpool'), ...poolWindow }, 'a layer');
const AvgPoolV4 = object({ type: v.literal('avgpool'), ...poolWindow, countIncludePad: bool('countIncludePad') }, 'a layer');
const ActivationV4 = object({ type: v.picklist(ACTIVATION_NAMES) }, 'a layer');
const LAYER_TYPES_V4 = ['conv2d', 'maxpool', 'avgpool', ...ACTIVATION_NAMES];
const LayerV4 = v.variant('type', [Conv2dV4, MaxPoolV4, AvgPoolV4, ActivationV4], (issue) => `layer type must be one of ${LAYER_TYPES_V4.join(', ')}, not ${received(issue)}`);
export type LayerV4 = v.InferOutput<typeof LayerV4>;

export const LabV4 = v.pipe(
  object(
    {
      input: InputV2,
      layers: v.pipe(
        v.array(LayerV4, (issue) => `layers must be a list, not ${received(issue)}`),
        v.maxLength(LIMITS.maxLayers, `a stack holds at most ${LIMITS.maxLayers} layers`),
      ),
      training: object({ settings: TrainingSettingsV1, history: TrainingHistoryV1 }, 'training'),
      net: v.optional(NetV3),
    },
    'lab',
  ),
  channelChainCheck(),
);
export type LabV4 = v.InferOutput<typeof LabV4>;

/** A layer of versions 1 to 3 under the table's name of its kind, every value kept. */
function layerV3toV4(layer: LabV3['layers'][number]): LayerV4 {
  if (layer.kind === 'conv') {
    const { kind: _kind, outChannels, inChannels, kernelSize, ...rest } = layer;
    return { type: 'conv2d', outChannels, inChannels, kernel: kernelSize, ...rest };
  }
  if (layer.kind === 'pool') {
    const window = { kernel: layer.kernel, stride: layer.stride, padding: layer.padding };
    // A max pooling's countIncludePad changed nothing; the table's maxpool has none.
    return layer.mode === 'max' ? { type: 'maxpool', ...window } : { type: 'avgpool', ...window, countIncludePad: layer.countIncludePad };
  }
  return { type: layer.fn };
}

/** A version-3 lab as version 4: its layers renamed to the table's kinds. */
export function labV3toV4(lab: LabV3): LabV4 {
  return { ...lab, layers: lab.layers.map(layerV3toV4) };
}
