/**
 * Runs a reference file (schema convlab-reference/1, see shared/reference/README.md) through the engine and
 * scores every case: the largest |got − ref| / max(1, |ref|) and whether every value is within tolerance.
 */
import { ConvLabError } from './errors';
import { probeChecked } from './lab/probe';
import { checkStack } from './lab/stack';
import { createTrainer } from './lab/trainer';
import type { LayerSpec, MapData } from './lab/types';
import { conv2d, conv2dBackward } from './ops/conv2d';
import { pool2d, pool2dBackward } from './ops/pool2d';
import { clipBox, type Box } from './receptive-field';
import type { Tensor } from './tensor';

export const REFERENCE_SCHEMA = 'convlab-reference/1';
export const REFERENCE_LISTS = ['seed_cases', 'conv2d', 'pool2d', 'kernel_learning', 'receptive_field'] as const;
export type ReferenceList = (typeof REFERENCE_LISTS)[number];

/** One case's score: `maxError` is the largest |got − ref| / max(1, |ref|) over every compared value. */
export interface CaseResult {
  id: string;
  list: ReferenceList;
  maxError: number;
  pass: boolean;
  /** Where it went wrong: the worst value, a shape mismatch or the engine's error. */
  detail?: string;
}

export interface ConformanceReport {
  tolerance: number;
  results: CaseResult[];
  passed: number;
  failed: number;
}

type Json = Record<string, unknown>;

/** Thrown while reading a malformed case; it fails that case, not the run. */
class CaseFormatError extends Error {}

function obj(v: unknown, name: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CaseFormatError(`${name} must be an object`);
  return v as Json;
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CaseFormatError(`${name} must be a finite number`);
  return v;
}

function nums(v: unknown, name: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new CaseFormatError(`${name} must be a list of numbers`);
  return v as number[];
}

function pair(v: unknown, name: string): [number, number] {
  const p = nums(v, name);
  if (p.length !== 2) throw new CaseFormatError(`${name} must be a [height, width] pair`);
  return [p[0], p[1]];
}

function tensorOf(v: unknown, name: string): Tensor {
  const t = obj(v, name);
  const shape = nums(t.shape, `${name}.shape`);
  const data = nums(t.data, `${name}.data`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new CaseFormatError(`${name} has ${data.length} values but shape ${shape.join('×')} needs ${n}`);
  return { shape, data: Float32Array.from(data) };
}

/** Accumulates the worst scaled error of one case. */
class Score {
  maxError = 0;
  detail: string | undefined;
  private worstFail = 0;

  constructor(private readonly tol: number) {}

  value(name: string, got: number, ref: number): void {
    const e = Math.abs(got - ref) / Math.max(1, Math.abs(ref));
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > this.maxError) this.maxError = err;
    if (err > this.tol && err > this.worstFail) {
      this.worstFail = err;
      this.detail = `${name}: got ${got}, want ${ref}`;
    }
  }

  tensor(name: string, got: Tensor, ref: Tensor): void {
    if (got.shape.length !== ref.shape.length || got.shape.some((d, i) => d !== ref.shape[i])) {
      this.fail(`${name}: shape ${got.shape.join('×')}, want ${ref.shape.join('×')}`);
      return;
    }
    for (let i = 0; i < ref.data.length; i++) this.value(`${name}[${i}]`, got.data[i], ref.data[i]);
  }

  list(name: string, got: ArrayLike<number>, ref: readonly number[]): void {
    if (got.length !== ref.length) {
      this.fail(`${name}: ${got.length} values, want ${ref.length}`);
      return;
    }
    for (let i = 0; i < ref.length; i++) this.value(`${name}[${i}]`, got[i], ref[i]);
  }

  fail(detail: string): void {
    this.maxError = Infinity;
    this.worstFail = Infinity;
    this.detail ??= detail;
  }

  get pass(): boolean {
    return this.maxError <= this.tol;
  }
}

const reshaped = (t: Tensor, shape: readonly number[]): Tensor => ({ shape, data: t.data });

function seedCase(c: Json, s: Score): void {
  const op = String(c.op);
  const x = tensorOf(c.x, 'x'), k = tensorOf(c.k, 'k'), y = tensorOf(c.y, 'y');
  const xs = x.shape.length === 2 ? [1, 1, ...x.shape] : [1, ...x.shape];
  const ks = k.shape.length === 2 ? [1, 1, ...k.shape] : k.shape.length === 3 ? [1, ...k.shape] : k.shape;
  if (!['corr2d', 'conv2d_flipped', 'corr2d_multi_in', 'corr2d_multi_in_out'].includes(op)) throw new CaseFormatError(`unknown op '${op}'`);
  const out = conv2d(reshaped(x, xs), reshaped(k, ks), null, { flip: op === 'conv2d_flipped' });
  s.tensor('y', reshaped(out, out.shape.slice(4 - y.shape.length)), y);
}

function conv2dCase(c: Json, s: Score): void {
  const x = tensorOf(c.input, 'input'), w = tensorOf(c.weight, 'weight'), b = tensorOf(c.bias, 'bias');
  const gy = tensorOf(c.grad_output, 'grad_output');
  const kernel = pair(c.kernel, 'kernel');
  if (w.shape[2] !== kernel[0] || w.shape[3] !== kernel[1]) throw new CaseFormatError(`kernel ${kernel.join('×')} disagrees with weight ${w.shape.join('×')}`);
  const opts = { stride: pair(c.stride, 'stride'), padding: pair(c.padding, 'padding'), dilation: pair(c.dilation, 'dilation') };
  s.tensor('output', conv2d(x, w, b.data, opts), tensorOf(c.output, 'output'));
  const g = conv2dBackward(x, w, gy, opts);
  s.tensor('grad_input', g.gradInput, tensorOf(c.grad_input, 'grad_input'));
  s.tensor('grad_weight', g.gradWeight, tensorOf(c.grad_weight, 'grad_weight'));
  s.tensor('grad_bias', { shape: [g.gradBias.length], data: g.gradBias }, tensorOf(c.grad_bias, 'grad_bias'));
}

function pool2dCase(c: Json, s: Score): void {
  const x = tensorOf(c.input, 'input');
  const mode = c.mode;
  if (mode !== 'max' && mode !== 'avg') throw new CaseFormatError(`mode must be 'max' or 'avg', got ${JSON.stringify(mode)}`);
  const opts = {
    mode, kernel: pair(c.kernel, 'kernel'), stride: pair(c.stride, 'stride'), padding: pair(c.padding, 'padding'),
    countIncludePad: c.count_include_pad === undefined ? true : c.count_include_pad === true,
  } as const;
  s.tensor('output', pool2d(x, opts), tensorOf(c.output, 'output'));
  s.tensor('grad_input', pool2dBackward(x, tensorOf(c.grad_output, 'grad_output'), opts), tensorOf(c.grad_input, 'grad_input'));
}

function kernelLearningCase(c: Json, s: Score): void {
  const iterations = num(c.iterations, 'iterations');
  const trainer = createTrainer({
    x: tensorOf(c.x, 'x') as MapData, y: tensorOf(c.y, 'y') as MapData, kernel: pair(c.kernel, 'kernel'),
    initWeight: tensorOf(c.init_weight, 'init_weight').data, initBias: num(c.bias ?? 0, 'bias'),
    learnBias: c.bias_updated === true, lr: num(c.lr, 'lr'), iterations, flip: false,
  });
  const losses = nums(c.loss, 'loss');
  const weights = c.weight;
  if (!Array.isArray(weights) || weights.length !== iterations || losses.length !== iterations) {
    throw new CaseFormatError(`loss and weight must hold one entry per iteration (${iterations})`);
  }
  let last: { weight: Float32Array; bias: number } = { weight: new Float32Array(0), bias: 0 };
  for (let t = 0; t < iterations; t++) {
    const step = trainer.step();
    s.value(`loss[${t}]`, step.loss, losses[t]);
    s.list(`weight[${t}]`, step.weight, nums(weights[t], `weight[${t}]`));
    last = step;
  }
  const final = tensorOf(c.final_weight, 'final_weight');
  s.list('final_weight', last.weight, Array.from(final.data));
  s.value('final_loss', trainer.lossAt(last.weight, last.bias), num(c.final_loss, 'final_loss'));
}

/** The stack as the gradient probe sees it: positive averaging conv weights, max pooling measured as average. */
function rfLayers(v: unknown): LayerSpec[] {
  if (!Array.isArray(v)) throw new CaseFormatError('layers must be a list');
  return v.map((raw, i) => {
    const l = obj(raw, `layers[${i}]`);
    const kernel = pair(l.kernel, `layers[${i}].kernel`), stride = pair(l.stride, `layers[${i}].stride`);
    const padding = pair(l.padding, `layers[${i}].padding`);
    if (l.type === 'conv') {
      const dilation = l.dilation === undefined ? [1, 1] as [number, number] : pair(l.dilation, `layers[${i}].dilation`);
      const k = kernel[0] * kernel[1];
      return { kind: 'conv', weight: { shape: [1, 1, kernel[0], kernel[1]], data: new Float32Array(k).fill(1 / k) }, bias: new Float32Array(1), stride, padding, dilation, flip: false };
    }
    if (l.type === 'maxpool' || l.type === 'avgpool') {
      if (l.dilation !== undefined && pair(l.dilation, 'dilation').some((d) => d !== 1)) throw new CaseFormatError('pooling with dilation is not supported');
      return { kind: 'pool', mode: 'avg', kernel, stride, padding, countIncludePad: true };
    }
    throw new CaseFormatError(`layers[${i}].type must be conv, maxpool or avgpool, got ${JSON.stringify(l.type)}`);
  });
}

function boxValues(b: Box): number[] {
  return [b.top, b.left, b.bottom, b.right];
}

function refBox(v: unknown, name: string): number[] {
  const b = obj(v, name);
  return ['top', 'left', 'bottom', 'right'].map((k) => num(b[k], `${name}.${k}`));
}

function receptiveFieldCase(c: Json, s: Score): void {
  const [h, w] = pair(c.input_size, 'input_size');
  const layers = rfLayers(c.layers);
  const input: MapData = { shape: [1, 1, h, w], data: new Float32Array(h * w).fill(1) };
  const checked = checkStack(input.shape, layers, Infinity);
  const last = checked.length - 1;
  const perLayer = c.per_layer;
  if (!Array.isArray(perLayer)) throw new CaseFormatError('per_layer must be a list');
  const { perLayer: fields } = probeChecked(input, checked, last, { c: 0, y: 0, x: 0 });
  if (perLayer.length !== fields.length) s.fail(`per_layer: ${fields.length} layers, want ${perLayer.length}`);
  perLayer.forEach((raw, i) => {
    const p = obj(raw, `per_layer[${i}]`);
    const f = fields[num(p.layer, `per_layer[${i}].layer`) - 1];
    if (f === undefined) return s.fail(`per_layer[${i}]: no layer ${String(p.layer)}`);
    const at = `layer ${f.layer + 1}`;
    s.list(`${at} output_size`, checked[f.layer].output.slice(2), pair(p.output_size, 'output_size'));
    s.list(`${at} size`, f.size, pair(p.size, 'size'));
    s.list(`${at} jump`, f.jump, pair(p.jump, 'jump'));
    s.list(`${at} start`, f.start, pair(p.start, 'start'));
    s.list(`${at} center`, f.center, pair(p.center, 'center'));
    s.list(`${at} effective_padding`, f.effectivePadding, pair(p.effective_padding, 'effective_padding'));
  });
  const units = c.units;
  if (!Array.isArray(units)) throw new CaseFormatError('units must be a list');
  for (const raw of units) {
    const u = obj(raw, 'unit');
    const [y, x] = pair(u.unit, 'unit.unit');
    const at = `unit (${y}, ${x})`;
    const probe = probeChecked(input, checked, last, { c: 0, y, x });
    s.list(`${at} analytic_box`, boxValues(probe.analyticBox), refBox(u.analytic_box, 'analytic_box'));
    s.list(`${at} analytic_box_clipped`, boxValues(clipBox(probe.analyticBox, h, w)), refBox(u.analytic_box_clipped, 'analytic_box_clipped'));
    s.list(`${at} box`, boxValues(probe.boxes[0]), refBox(u.box, 'box'));
    const g = gradientSupport(probe.gradient.data, h, w);
    s.list(`${at} gradient_box`, boxValues(g.box), refBox(u.gradient_box, 'gradient_box'));
    s.value(`${at} gradient_count`, g.count, num(u.gradient_count, 'gradient_count'));
    s.value(`${at} dense`, Number(g.dense), Number(u.dense === true));
  }
}

/** Bounding box, count and density of the nonzero cells of an h×w gradient. */
export function gradientSupport(g: Float32Array, h: number, w: number): { box: Box; count: number; dense: boolean } {
  let top = h, left = w, bottom = -1, right = -1, count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (g[y * w + x] === 0) continue;
      count++;
      top = Math.min(top, y); bottom = Math.max(bottom, y);
      left = Math.min(left, x); right = Math.max(right, x);
    }
  }
  const box = count === 0 ? { top: 0, left: 0, bottom: -1, right: -1 } : { top, left, bottom, right };
  return { box, count, dense: count === (bottom - top + 1) * (right - left + 1) };
}

const RUNNERS: Record<ReferenceList, (c: Json, s: Score) => void> = {
  seed_cases: seedCase,
  conv2d: conv2dCase,
  pool2d: pool2dCase,
  kernel_learning: kernelLearningCase,
  receptive_field: receptiveFieldCase,
};

/**
 * Scores every case of a parsed reference file. Throws a ConvLabError ('format') when the file itself is not a
 * convlab-reference/1 document; a malformed case or an engine error fails that case only.
 */
export function runConformance(reference: unknown): ConformanceReport {
  if (typeof reference !== 'object' || reference === null || Array.isArray(reference)) {
    throw new ConvLabError('format', 'reference file must hold a JSON object');
  }
  const ref = reference as Json;
  if (ref.schema !== REFERENCE_SCHEMA) {
    throw new ConvLabError('format', `reference schema must be '${REFERENCE_SCHEMA}', got ${JSON.stringify(ref.schema)}`);
  }
  const t = ref.tolerance;
  const scale = typeof t === 'object' && t !== null && typeof (t as Json).scale === 'number' ? (t as Json).scale as number : 1e-5;
  for (const list of REFERENCE_LISTS) {
    if (!Array.isArray(ref[list])) throw new ConvLabError('format', `reference file has no list '${list}'`);
  }
  const results: CaseResult[] = [];
  for (const list of REFERENCE_LISTS) {
    (ref[list] as unknown[]).forEach((raw, i) => {
      const c = typeof raw === 'object' && raw !== null ? raw as Json : {};
      const id = typeof c.id === 'string' ? c.id : `${list}[${i}]`;
      const s = new Score(scale);
      try {
        RUNNERS[list](c, s);
      } catch (e) {
        if (!(e instanceof CaseFormatError || e instanceof ConvLabError)) throw e;
        s.fail(e instanceof ConvLabError ? `engine refused: ${e.message}` : `bad case: ${e.message}`);
      }
      results.push({ id, list, maxError: s.maxError, pass: s.pass, ...(s.detail === undefined ? {} : { detail: s.detail }) });
    });
  }
  const passed = results.filter((r) => r.pass).length;
  return { tolerance: scale, results, passed, failed: results.length - passed };
}
