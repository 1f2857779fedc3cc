import { afterAll, describe, expect, it } from 'vitest';
import { setKernelPath } from '../ops/wasm/kernels';
import { mulberry32, uniform } from '../random';
import { createStackCache } from './incremental-stack';
import { runStack } from './stack';
import type { LabLayer, MapData, Pair } from './types';

function conv(cin: number, cout: number, k: Pair, seed: number, o: Partial<{ stride: Pair; padding: Pair; dilation: Pair; flip: boolean }> = {}): LabLayer {
  return {
    type: 'conv2d',
    inChannels: cin,
    outChannels: cout,
    kernel: k,
    weight: { shape: [cout, cin, k[0], k[1]], data: uniform(cout * cin * k[0] * k[1], -1, 1, seed) },
    bias: uniform(cout, -0.5, 0.5, seed + 1),
    stride: o.stride ?? [1, 1],
    padding: o.padding ?? [0, 0],
    dilation: o.dilation ?? [1, 1],
    flip: o.flip ?? false,
  };
}

/** A brush dab: a square of `size` cells around (y, x) set to `value`, as the lab's brush does. */
function dab(input: MapData, y: number, x: number, size: number, value: number): MapData {
  const [, c, h, w] = input.shape;
  const data = input.data.slice();
  for (let ch = 0; ch < c; ch++) {
    for (let r = y - (size >> 1); r < y - (size >> 1) + size; r++) {
      for (let q = x - (size >> 1); q < x - (size >> 1) + size; q++) if (r >= 0 && r < h && q >= 0 && q < w) data[(ch * h + r) * w + q] = value;
    }
  }
  return { shape: input.shape, data };
}

/** Bit for bit: −0 against +0 or two NaNs of other payloads would not pass. */
function expectSameBits(got: MapData[], want: MapData[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((map, i) => {
    expect(map.shape).toEqual(want[i].shape);
    const a = new Int32Array(map.data.buffer, map.data.byteOffset, map.data.length);
    const b = new Int32Array(want[i].data.buffer, want[i].data.byteOffset, want[i].data.length);
    let differ = -1;
    for (let k = 0; k < a.length && differ < 0; k++) if (a[k] !== b[k]) differ = k;
    expect(differ, `map ${i} differs at ${differ}: ${map.data[differ]} vs ${want[i].data[differ]}`).toBe(-1);
  });
}

/** Strokes across the input, each dab checked against a full run of the same input. */
function strokeAndCompare(input: MapData, layers: LabLayer[], dabs: number, seed: number): number {
  const random = mulberry32(seed);
  const cache = createStackCache();
  const [, , h, w] = input.shape;
  let now = input;
  expectSameBits(cache.run(now, layers).outputs, runStack(now, layers).outputs);
  let incremental = 0;
  for (let d = 0; d < dabs; d++) {
    now = dab(now, Math.floor(random() * h), Math.floor(random() * w), 1 + Math.floor(random() * 3), Math.round(random() * 4 - 2));
    const got = cache.run(now, layers);
    if (got.incremental) incremental++;
    expectSameBits(got.outputs, runStack(now, layers).outputs);
  }
  return incremental;
}

describe.each(['wasm', 'ts'] as const)('a stack rerun after a brush dab (%s kernels)', (path) => {
  afterAll(() => void setKernelPath('wasm'));

  it('equals a full run bit for bit on the latency stack (128×128, 3×3 convolutions 1→4→8→8), computing windows', () => {
    expect(setKernelPath(path)).toBe(path);
    const input: MapData = { shape: [1, 1, 128, 128], data: uniform(128 * 128, -1, 1, 3) };
    const layers = [conv(1, 4, [3, 3], 10), conv(4, 8, [3, 3], 20), conv(8, 8, [3, 3], 30)];
    expect(strokeAndCompare(input, layers, 40, 7)).toBeGreaterThan(30);
  });

  it('equals a full run with padding, stride, dilation, flips, odd kernels and several input channels', () => {
    expect(setKernelPath(path)).toBe(path);
    const random = mulberry32(99);
    let windowed = 0;
    for (let trial = 0; trial < 16; trial++) {
      const pick = (...options: number[]) => options[Math.floor(random() * options.length)];
      const cin = pick(1, 2, 3);
      const h = pick(24, 37, 64), w = pick(24, 41, 64);
      const layers: LabLayer[] = [];
      let channels = cin;
      for (let l = 0; l < pick(1, 2, 3); l++) {
        const out = pick(1, 3, 4, 8);
        const k = pick(1, 3, 5);
        layers.push(conv(channels, out, [k, pick(1, 3)], trial * 10 + l, {
          stride: [pick(1, 1, 2), pick(1, 2)],
          padding: [pick(0, 1, 2), pick(0, 1)],
          dilation: [pick(1, 1, 2), 1],
          flip: random() < 0.5,
        }));
        channels = out;
      }
      const input: MapData = { shape: [1, cin, h, w], data: uniform(cin * h * w, -1, 1, trial) };
      strokeAndCompare(input, layers, 8, trial);
      if (layers.every((l) => 'weight' in l && l.weight.shape[0] > 2)) windowed++;
    }
    // Most of these stacks are computed by windows (one or two output channels run in full).
    expect(windowed).toBeGreaterThan(6);
  });
});

describe('a stack rerun that cannot reuse its last maps', () => {
  it('runs in full when the weights change, and answers copies it does not touch again', () => {
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    const layers = [conv(1, 4, [3, 3], 1)];
    const cache = createStackCache();
    const first = cache.run(input, layers);
    const changedWeights = [conv(1, 4, [3, 3], 2)];
    const second = cache.run(input, changedWeights);
    expect(second.incremental).toBe(false);
    expectSameBits(second.outputs, runStack(input, changedWeights).outputs);
    expectSameBits(first.outputs, runStack(input, layers).outputs);
  });

  it('runs in full for a convolution of one or two output channels (their direct loops round by column)', () => {
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    const layers = [conv(1, 2, [3, 3], 1)];
    const cache = createStackCache();
    cache.run(input, layers);
    expect(cache.run(dab(input, 5, 5, 1, 1), layers).incremental).toBe(false);
  });

  it('keeps no maps of a stack larger than its limit, and answers it in full', () => {
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    const layers = [conv(1, 4, [3, 3], 1)];
    const cache = createStackCache(4 * 30 * 30 - 1);
    cache.run(input, layers);
    const again = cache.run(dab(input, 5, 5, 1, 1), layers);
    expect(again.incremental).toBe(false);
    expectSameBits(again.outputs, runStack(dab(input, 5, 5, 1, 1), layers).outputs);
    const roomy = createStackCache(4 * 30 * 30);
    roomy.run(input, layers);
    expect(roomy.run(dab(input, 5, 5, 1, 1), layers).incremental).toBe(true);
  });

  it('runs in full for stacks with pooling or activations', () => {
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    const layers: LabLayer[] = [conv(1, 4, [3, 3], 1), { type: 'relu' }];
    const cache = createStackCache();
    cache.run(input, layers);
    const again = cache.run(dab(input, 5, 5, 1, 1), layers);
    expect(again.incremental).toBe(false);
    expectSameBits(again.outputs, runStack(dab(input, 5, 5, 1, 1), layers).outputs);
  });

  it('refuses a bad input with the full run\'s message', () => {
    const layers = [conv(1, 4, [3, 3], 1)];
    const cache = createStackCache();
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    cache.run(input, layers);
    const bad = dab(input, 3, 3, 1, Number.NaN);
    expect(() => cache.run(bad, layers)).toThrow(/input/);
  });
});
