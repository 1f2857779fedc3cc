/**
 * Batch norm on the WebAssembly kernels against the TypeScript definition: random shapes (ragged maps and channel
 * counts, not multiples of four; conv maps and dense features; one sample and many), train and predict mode, the
 * whole batch and a batch cut into slices that exchange their sums. Both paths agree within the reference
 * tolerance; the statistics, summed in double precision on both, within 1e-12.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import type { Tensor } from '../tensor';
import { runSlices, worstGap } from '../test-support/batch-slices';
import { expectClose, randomTensor } from '../test-support/reference';
import { activation } from './activation';
import { batchNorm, batchNormBackward, updateMovingStats, type BatchNormMode, type BatchStatsExchange } from './batchnorm';
import { setKernelPath } from './wasm/kernels';

interface Case { shape: number[]; offset: number; spread: number }

function operands({ shape, offset, spread }: Case, seed: number) {
  const c = shape[1];
  return {
    x: randomTensor(shape, seed, offset - spread, offset + spread), g: randomTensor(shape, seed + 1),
    gamma: randomTensor([c], seed + 2, 0.5, 1.5).data, beta: randomTensor([c], seed + 3).data,
    movingMean: randomTensor([c], seed + 4).data, movingVar: randomTensor([c], seed + 5, 0.5, 1.5).data,
  };
}

/** Forward, moving-statistics update and backward of one case on `path`. */
function run(path: 'ts' | 'wasm', c: Case, seed: number, mode: BatchNormMode, exchange?: BatchStatsExchange) {
  expect(setKernelPath(path)).toBe(path);
  const o = operands(c, seed);
  const f = batchNorm(o.x, o.gamma, o.beta, o.movingMean, o.movingVar, mode, 1e-5, exchange);
  const movingMean = o.movingMean.slice(), movingVar = o.movingVar.slice();
  if (mode === 'train') updateMovingStats(f.saved, movingMean, movingVar, 0.9);
  const b = batchNormBackward(o.x, o.gamma, f.saved, o.g);
  return { y: f.y, saved: f.saved, movingMean, movingVar, gx: b.gradInput, gGamma: b.gradGamma, gBeta: b.gradBeta };
}

function expectAgree(wasm: ReturnType<typeof run>, ts: ReturnType<typeof run>): void {
  expect(worstGap(wasm.saved.mean, ts.saved.mean), 'mean').toBeLessThanOrEqual(1e-12);
  expect(worstGap(wasm.saved.variance, ts.saved.variance), 'variance').toBeLessThanOrEqual(1e-12);
  expect(wasm.saved.count).toBe(ts.saved.count);
  expectClose(wasm.y.data, ts.y.data, 'y');
  expectClose(wasm.movingMean, ts.movingMean, 'moving mean');
  expectClose(wasm.movingVar, ts.movingVar, 'moving variance');
  expectClose(wasm.gx.data, ts.gx.data, 'grad input');
  expectClose(wasm.gGamma, ts.gGamma, 'grad gamma');
  expectClose(wasm.gBeta, ts.gBeta, 'grad beta');
}

const r = mulberry32(510);
const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const cases: Case[] = [
  // BN-LeNet's four layers at batch 32: 28×28 and 10×10 maps, 120 and 84 features.
  { shape: [32, 6, 28, 28], offset: 0, spread: 3 },
  { shape: [32, 16, 10, 10], offset: 0.5, spread: 2 },
  { shape: [32, 120], offset: 0, spread: 1 },
  { shape: [32, 84], offset: -1, spread: 2 },
  // 1×1 maps (the dense layout), 1×2 and 3×3 maps (all tail), one sample (a zero variance), far from zero.
  { shape: [5, 7, 1, 1], offset: 0, spread: 1 },
  { shape: [3, 5, 1, 2], offset: 0, spread: 1 },
  { shape: [1, 3, 3, 3], offset: 0, spread: 1 },
  { shape: [1, 9], offset: 0, spread: 1 },
  { shape: [9, 2, 3, 3], offset: 40, spread: 0.5 },
];
for (let i = 0; i < 8; i++) cases.push({ shape: [int(1, 9), int(1, 13), int(1, 13), int(1, 13)], offset: 4 * r() - 2, spread: 0.1 + 3 * r() });
for (let i = 0; i < 5; i++) cases.push({ shape: [int(1, 40), int(1, 23)], offset: 4 * r() - 2, spread: 0.1 + 3 * r() });

const label = (c: Case) => `${c.shape.join('×')} around ${c.offset.toFixed(2)} ± ${c.spread.toFixed(2)}`;

describe('batch norm: WebAssembly and TypeScript agree', () => {
  afterAll(() => void setKernelPath('wasm'));
  cases.forEach((c, i) => {
    for (const mode of ['train', 'predict'] as const) {
      it(`${mode}, ${label(c)}`, () => expectAgree(run('wasm', c, 100 + i, mode), run('ts', c, 100 + i, mode)));
    }
  });

  it('dense features are summed in the same order on both paths: the same floats, bit for bit', () => {
    const c: Case = { shape: [37, 23], offset: 0.7, spread: 2 };
    const wasm = run('wasm', c, 7, 'train'), ts = run('ts', c, 7, 'train');
    expect(Array.from(wasm.saved.variance)).toEqual(Array.from(ts.saved.variance));
    expect(Array.from(wasm.y.data)).toEqual(Array.from(ts.y.data));
    expect(Array.from(wasm.gx.data)).toEqual(Array.from(ts.gx.data));
    expect(Array.from(wasm.gGamma)).toEqual(Array.from(ts.gGamma));
  });

  it('another op run by the exchange (its buffers laid over the held input) changes nothing', () => {
    const c: Case = { shape: [8, 6, 12, 12], offset: 0, spread: 2 };
    const busy: BatchStatsExchange = {
      total(sums) {
        // The sigmoid's kernels lay their operands out from the module's heap base too, where batch norm's wait.
        activation(randomTensor([8, 6, 12, 12], 99, 5, 9), 'sigmoid');
        return sums;
      },
    };
    const plain = run('wasm', c, 3, 'train');
    const through = run('wasm', c, 3, 'train', busy);
    expect(Array.from(through.y.data)).toEqual(Array.from(plain.y.data));
    expect(Array.from(through.gx.data)).toEqual(Array.from(plain.gx.data));
  });
});

describe('batch norm in slices: WebAssembly and TypeScript agree slice by slice', () => {
  afterAll(() => void setKernelPath('wasm'));
  const sliced: [number[], number[], number][] = [
    [[9, 6, 28, 28], [0, 4, 9], 0],
    [[11, 5, 7, 3], [0, 1, 6, 11], 1],
    [[10, 13], [0, 3, 4, 10], -1],
    [[int(3, 12), int(1, 9), int(1, 9), int(1, 9)], [], 0.5],
    [[int(3, 40), int(1, 30)], [], 2],
  ];
  for (const [shape, cuts, offset] of sliced) {
    if (cuts.length === 0) cuts.push(0, int(1, shape[0] - 2), shape[0] - 1, shape[0]);
    it(`${shape.join('×')} cut at ${cuts.join(', ')}`, () => {
      const c = shape[1];
      const x: Tensor = randomTensor(shape, 20, offset - 1, offset + 1), g = randomTensor(shape, 21);
      const t = {
        x, g, gamma: randomTensor([c], 22, 0.5, 1.5).data, beta: randomTensor([c], 23).data, eps: 1e-5,
        moving: () => [new Float32Array(c), new Float32Array(c).fill(1)] as const,
      };
      expect(setKernelPath('ts')).toBe('ts');
      const ts = runSlices(t, cuts);
      expect(setKernelPath('wasm')).toBe('wasm');
      const wasm = runSlices(t, cuts);
      wasm.forEach((w, s) => {
        // What each slice hands to the exchange, then what it makes of the totals.
        expect(worstGap(w.forwardSums, ts[s].forwardSums), 'forward sums').toBeLessThanOrEqual(1e-12);
        expect(worstGap(w.backwardSums, ts[s].backwardSums), 'backward sums').toBeLessThanOrEqual(1e-12);
        expect(worstGap(w.mean, ts[s].mean), 'mean').toBeLessThanOrEqual(1e-12);
        expect(worstGap(w.variance, ts[s].variance), 'variance').toBeLessThanOrEqual(1e-12);
        expectClose(w.y, ts[s].y, 'y');
        expectClose(w.gradInput, ts[s].gradInput, 'grad input');
        expectClose(w.gradGamma, ts[s].gradGamma, 'grad gamma');
        expectClose(w.gradBeta, ts[s].gradBeta, 'grad beta');
      });
    });
  }
});
