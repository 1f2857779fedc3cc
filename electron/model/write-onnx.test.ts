// Every network ConvLab holds goes out as ONNX that onnxruntime runs with ConvLab's outputs within 1e-5: the book's
// eight networks at a small size (random weights, batch norm's moving statistics away from 0 and 1), a lab stack with
// a flipped, dilated convolution and both poolings; and onnx.checker passes each file where python3 has onnx.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labNet } from '../../core/lab/as-net';
import type { LabLayer, LabConv } from '../../core/lab/types';
import { buildNetwork, minInputSide, NET_IDS } from '../../core/nets/book-nets';
import type { NetSpec, Params } from '../../core/nets/model';
import { initParams } from '../../core/nets/params';
import { predict } from '../../core/nets/run';
import { mulberry32 } from '../../core/random';
import { ONNX_IO, writeOnnx, type OnnxExport } from './write-onnx';

const ort = await import('onnxruntime-node').catch((e: unknown) => {
  console.log(`skipped: onnxruntime-node does not load here (${e instanceof Error ? e.message : String(e)})`);
  return null;
});
const PYTHON = '/usr/bin/python3';
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
if (!hasOnnx) console.log(`skipped: onnx.checker needs ${PYTHON} with onnx (apt install python3-onnx)`);
const folder = mkdtempSync(join(tmpdir(), 'convlab-onnx-out-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Random values in [-1, 1), and positive moving variances, so batch norm's statistics matter. */
function randomized(spec: NetSpec, seed: number): Params {
  const params = initParams(spec, { seed });
  const next = mulberry32(seed + 1);
  for (const [path, t] of params) {
    if (path.endsWith('moving_mean') || path.endsWith('beta') || path.endsWith('bias')) t.data.forEach((_, i) => (t.data[i] = 2 * next() - 1));
    if (path.endsWith('moving_var') || path.endsWith('gamma')) t.data.forEach((_, i) => (t.data[i] = 0.5 + next()));
  }
  return params;
}

function randomInput(shape: number[], seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => 2 * next() - 1);
}

/** Exports, checks with onnx.checker, runs in onnxruntime and returns the worst |ort − ConvLab| / max(1, |ConvLab|). */
async function roundTrip(x: OnnxExport, file: string): Promise<number> {
  const bytes = writeOnnx(x);
  const path = join(folder, file);
  writeFileSync(path, bytes);
  if (hasOnnx) {
    const checked = spawnSync(PYTHON, ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path], { encoding: 'utf8' });
    expect(checked.status, checked.stderr).toBe(0);
  }
  const data = randomInput([...x.input], 7);
  const want = predict(x.spec, x.params, { shape: x.input, data });
  const session = await ort!.InferenceSession.create(path);
  const got = (await session.run({ [ONNX_IO.input]: new ort!.Tensor('float32', data, [...x.input]) }))[ONNX_IO.output];
  await session.release();
  expect(got.dims).toEqual(want.shape);
  let worst = 0;
  const values = got.data as Float32Array;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(values[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i])));
  return worst;
}

describe.skipIf(!ort)('ONNX export: onnxruntime gives ConvLab\'s outputs within 1e-5', () => {
  for (const id of NET_IDS) {
    it(`${id} (widths ÷ 8, smallest side, batch 2)`, async () => {
      const side = minInputSide(id, { divisor: 8 })!;
      const net = buildNetwork(id, [2, 1, side, side], { divisor: 8 });
      const worst = await roundTrip({ name: net.title, spec: net.spec, params: randomized(net.spec, 3), input: net.input }, `${id}.onnx`);
      expect(worst).toBeLessThanOrEqual(1e-5);
    }, 60_000);
  }

  it('a lab stack: a flipped dilated convolution, max and average pooling (padding counted or not), every activation', async () => {
    const next = mulberry32(11);
    const conv = (cin: number, cout: number, k: number, extra: Partial<LabConv> = {}): LabLayer => ({
      type: 'conv2d', inChannels: cin, outChannels: cout, kernel: [k, k],
      weight: { shape: [cout, cin, k, k], data: Float32Array.from({ length: cout * cin * k * k }, () => 2 * next() - 1) },
      bias: Float32Array.from({ length: cout }, () => next()), stride: [1, 1], padding: [1, 1], dilation: [1, 1], flip: false, ...extra,
    }) as LabLayer;
    const layers: LabLayer[] = [
      conv(1, 3, 3, { flip: true, dilation: [2, 1] }), { type: 'tanh' },
      { type: 'maxpool', kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
      conv(3, 4, 2, { stride: [2, 1], padding: [0, 1] }), { type: 'relu' },
      { type: 'avgpool', kernel: [2, 2], stride: [1, 1], padding: [1, 1], countIncludePad: false }, { type: 'sigmoid' },
      { type: 'avgpool', kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: true },
    ];
    const { spec, params } = labNet(layers);
    expect(await roundTrip({ name: 'lab', spec, params, input: [1, 1, 20, 17] }, 'lab.onnx')).toBeLessThanOrEqual(1e-5);
  });
});

describe('ONNX export refusals', () => {
  it('a missing parameter is named', () => {
    const net = buildNetwork('lenet', [1, 1, 28, 28]);
    const params = initParams(net.spec, { seed: 0 });
    params.delete('0.bias');
    expect(() => writeOnnx({ name: 'LeNet', spec: net.spec, params, input: net.input })).toThrow(/0\.bias/);
  });
  it('an input the network does not take is refused with the layer and the rule', () => {
    const net = buildNetwork('lenet', [1, 1, 28, 28]);
    expect(() => writeOnnx({ name: 'LeNet', spec: net.spec, params: initParams(net.spec, { seed: 0 }), input: [1, 1, 4, 4] })).toThrow(/layer \d/);
  });
});
