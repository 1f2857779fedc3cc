/**
 * Runs a reference file (schema convlab-reference/1 or /2, see shared/reference/README.md) through the engine and
 * scores every case: the largest |got − ref| / max(1, |ref|) and whether every value is within its list's tolerance.
 */
import { CaseFormatError, num, nums, obj, pair, Score, tensorOf, type Json } from './conformance-case';
import { REFERENCE_2_LISTS, REFERENCE_2_SCHEMA, RUNNERS_2, type CaseRunner } from './conformance-2';
import { ConvLabError } from './errors';
import { avgPoolLayer } from './layers';
import { labConv } from './lab/lab-conv';
import { probeChecked } from './lab/probe';
import { checkStack } from './lab/stack';
import { createTrainer } from './lab/trainer';
import type { LabLayer, MapData } from './lab/types';
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
  /** The list it came from (a version-1 or version-2 list name). */
  list: string;
  maxError: number;
  pass: boolean;
  /** Not run: this build cannot check it (detail says why). Counts as neither passed nor failed. */
  skipped?: boolean;
  /** Where it went wrong: the worst value, a shape mismatch or the engine's error. */
  detail?: string;
}

export interface ConformanceReport {
  schema: string;
  /** The file's tolerance scale: one number (version 1), or the scale of each list (version 2). */
  tolerance: number | Record<string, number>;
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface ConformanceOptions {
  /**
   * Scores a version-2 `architectures` case (shape inference lives in core/nets/architectures). Without it those
   * cases are reported as skipped.
   */
  architectures?: CaseRunner;
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
function rfLayers(v: unknown): LabLayer[] {
  if (!Array.isArray(v)) throw new CaseFormatError('layers must be a list');
  return v.map((raw, i) => {
    const l = obj(raw, `layers[${i}]`);
    const kernel = pair(l.kernel, `layers[${i}].kernel`), stride = pair(l.stride, `layers[${i}].stride`);
    const padding = pair(l.padding, `layers[${i}].padding`);
    if (l.type === 'conv') {
      const dilation = l.dilation === undefined ? [1, 1] as [number, number] : pair(l.dilation, `layers[${i}].dilation`);
      const k = kernel[0] * kernel[1];
      return labConv({ shape: [1, 1, kernel[0], kernel[1]], data: new Float32Array(k).fill(1 / k) }, new Float32Array(1), { stride, padding, dilation });
    }
    if (l.type === 'maxpool' || l.type === 'avgpool') {
      if (l.dilation !== undefined && pair(l.dilation, 'dilation').some((d) => d !== 1)) throw new CaseFormatError('pooling with dilation is not supported');
      return avgPoolLayer(kernel, stride, padding, true);
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

/** One case, scored; a malformed case or an engine error fails that case only. */
function runCase(list: string, i: number, raw: unknown, scale: number, runner: CaseRunner | undefined): CaseResult {
  const c = typeof raw === 'object' && raw !== null ? raw as Json : {};
  const id = typeof c.id === 'string' ? c.id : `${list}[${i}]`;
  if (runner === undefined) {
    return { id, list, maxError: 0, pass: false, skipped: true, detail: 'skipped: this build has no shape inference for architectures (core/nets/architectures)' };
  }
  const s = new Score(scale);
  try {
    runner(c, s);
  } catch (e) {
    if (!(e instanceof CaseFormatError || e instanceof ConvLabError)) throw e;
    s.fail(e instanceof ConvLabError ? `engine refused: ${e.message}` : `bad case: ${e.message}`);
  }
  return { id, list, maxError: s.maxError, pass: s.pass, ...(s.detail === undefined ? {} : { detail: s.detail }) };
}

function report(schema: string, tolerance: ConformanceReport['tolerance'], results: CaseResult[]): ConformanceReport {
  const skipped = results.filter((r) => r.skipped === true).length;
  const passed = results.filter((r) => r.pass).length;
  return { schema, tolerance, results, passed, failed: results.length - passed - skipped, skipped };
}

/** A version-2 file: every list, each under its own scale from `tolerance.scale`. */
function runConformance2(ref: Json, options: ConformanceOptions): ConformanceReport {
  const t = ref.tolerance;
  const scales = typeof t === 'object' && t !== null ? (t as Json).scale : undefined;
  if (typeof scales !== 'object' || scales === null) throw new ConvLabError('format', 'reference file has no per-list tolerance.scale');
  const tolerance: Record<string, number> = {};
  for (const list of REFERENCE_2_LISTS) {
    if (!Array.isArray(ref[list])) throw new ConvLabError('format', `reference file has no list '${list}'`);
    const scale = (scales as Json)[list];
    if (typeof scale !== 'number' || !(scale >= 0)) throw new ConvLabError('format', `tolerance.scale has no number for list '${list}'`);
    tolerance[list] = scale;
  }
  const results: CaseResult[] = [];
  for (const list of REFERENCE_2_LISTS) {
    const runner = list === 'architectures' ? options.architectures : RUNNERS_2[list];
    (ref[list] as unknown[]).forEach((raw, i) => results.push(runCase(list, i, raw, tolerance[list], runner)));
  }
  return report(REFERENCE_2_SCHEMA, tolerance, results);
}

/**
 * Scores every case of a parsed reference file, of schema convlab-reference/1 or /2. Throws a ConvLabError
 * ('format') when the file itself is not such a document; a malformed case or an engine error fails that case only.
 */
export function runConformance(reference: unknown, options: ConformanceOptions = {}): ConformanceReport {
  if (typeof reference !== 'object' || reference === null || Array.isArray(reference)) {
    throw new ConvLabError('format', 'reference file must hold a JSON object');
  }
  const ref = reference as Json;
  if (ref.schema === REFERENCE_2_SCHEMA) return runConformance2(ref, options);
  if (ref.schema !== REFERENCE_SCHEMA) {
    throw new ConvLabError('format', `reference schema must be '${REFERENCE_SCHEMA}' or '${REFERENCE_2_SCHEMA}', got ${JSON.stringify(ref.schema)}`);
  }
  const t = ref.tolerance;
  const scale = typeof t === 'object' && t !== null && typeof (t as Json).scale === 'number' ? (t as Json).scale as number : 1e-5;
  for (const list of REFERENCE_LISTS) {
    if (!Array.isArray(ref[list])) throw new ConvLabError('format', `reference file has no list '${list}'`);
  }
  const results: CaseResult[] = [];
  for (const list of REFERENCE_LISTS) {
    (ref[list] as unknown[]).forEach((raw, i) => results.push(runCase(list, i, raw, scale, RUNNERS[list])));
  }
  return report(REFERENCE_SCHEMA, scale, results);
}
