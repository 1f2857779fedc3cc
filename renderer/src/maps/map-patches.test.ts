import { describe, expect, test } from 'vitest';
import { effect } from 'vue';
import { createStackCache, type StackCache } from '../../../core/lab/incremental-stack';
import { runStack } from '../../../core/lab/stack';
import type { LabLayer } from '../../../core/lab/types';
import { uniform } from '../../../core/random';
import type { ForwardWindowsResponse, MapData } from '../../../electron/contract/contract';
import { decodeMessage, encodeMessage } from '../../../electron/contract/wire';
import { createLayerScale } from './layer-scale';
import { symmetricScale } from './colormap';
import { revisionOf, takeAnswer, type HeldMaps } from './map-patches';

const conv = (cin: number, cout: number, seed: number): LabLayer => ({
  type: 'conv2d', outChannels: cout, inChannels: cin, kernel: [3, 3],
  weight: { shape: [cout, cin, 3, 3], data: uniform(cout * cin * 9, -1, 1, seed) },
  bias: uniform(cout, -0.5, 0.5, seed + 1),
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  flip: false,
});
const layers = [conv(1, 4, 1), conv(4, 8, 2)];

function dab(input: MapData, y: number, x: number, value: number): MapData {
  const data = input.data.slice();
  data[y * input.shape[3] + x] = value;
  return { shape: input.shape, data };
}

/** The engine's answer, typed as the contract carries it (its maps' batch is 1). */
const ask = (cache: StackCache, input: MapData, since: string | null) => cache.windows(input, layers, since) as ForwardWindowsResponse;

/** An answer as the page reads it: through the wire's encoding, as the host sends it. */
const overWire = (answer: unknown) => (decodeMessage(encodeMessage({ id: 1, result: { ok: true, value: answer } }), true) as { result: { value: ForwardWindowsResponse } }).result.value;

const bits = (maps: readonly { data: Float32Array }[]) => maps.map((m) => Array.from(new Int32Array(m.data.buffer, m.data.byteOffset, m.data.length)));

describe('the page patching the windows a brush step changed', () => {
  test('patches the maps it holds in place, bit for bit a full run, and bumps each changed map\'s revision', () => {
    const cache = createStackCache(undefined, 'w:');
    let input: MapData = { shape: [1, 1, 24, 24], data: uniform(24 * 24, -1, 1, 3) };
    let held = takeAnswer(null, overWire(ask(cache, input, null))) as HeldMaps;
    const maps = [...held.maps];
    const serials: number[] = [];
    // The revision is a reactive signal: an effect reading it runs again after each patch of its map.
    effect(() => serials.push(revisionOf(maps[1]).serial));
    for (const [y, x] of [[0, 0], [23, 23], [12, 5]]) {
      input = dab(input, y, x, 5);
      const answer = overWire(ask(cache, input, held.state));
      // Only windows crossed the wire: arrays no larger than a corner of each map.
      expect(answer.outputs).toBeNull();
      expect(answer.windows.every((w) => w.data instanceof Float32Array && w.data.length <= 8 * 8 * 8)).toBe(true);
      // Raw floats, no JSON arrays of numbers: the message is the windows' bytes and a header of a few hundred bytes.
      const bytes = encodeMessage({ id: 1, result: { ok: true, value: answer } });
      const header = new DataView(bytes.buffer).getUint32(0, true);
      expect(header).toBeLessThan(400);
      expect(bytes.byteLength).toBeLessThanOrEqual(4 + header + 3 + answer.windows.reduce((sum, w) => sum + 4 * w.data.length, 0));
      held = takeAnswer(held, answer) as HeldMaps;
      expect(held.maps.every((m, i) => m === maps[i])).toBe(true);
      expect(bits(held.maps)).toEqual(bits(runStack(input, layers).outputs));
    }
    expect(serials).toEqual([0, 1, 2, 3]);
    const revision = revisionOf(maps[1]);
    expect(revision.box.y0).toBeGreaterThanOrEqual(0);
    expect(revision.box.y1).toBeLessThan(24);
  });

  test('refuses windows for maps it does not hold, or that do not fit them, changing nothing', () => {
    const cache = createStackCache(undefined, 'r:');
    const input: MapData = { shape: [1, 1, 16, 16], data: uniform(16 * 16, -1, 1, 4) };
    const held = takeAnswer(null, ask(cache, input, null)) as HeldMaps;
    const before = bits(held.maps);
    const next = ask(cache, dab(input, 3, 3, 2), held.state);
    expect(next.windows.length).toBeGreaterThan(0);
    expect(takeAnswer(held, { ...next, since: 'r:999' })).toMatch(/maps this page does not have/);
    expect(takeAnswer(null, next)).toMatch(/maps this page does not have/);
    expect(takeAnswer({ state: null, maps: held.maps }, next)).toMatch(/does not have/);
    expect(takeAnswer(held, { ...next, windows: [{ ...next.windows[0], layer: 7 }] })).toMatch(/names layer 7/);
    expect(takeAnswer(held, { ...next, windows: [next.windows[0], { ...next.windows[1], x: 15 }] })).toMatch(/outside its 16×16 map/);
    expect(takeAnswer(held, { ...next, windows: [{ ...next.windows[0], data: new Float32Array(3) }] })).toMatch(/holds 3 values/);
    expect(takeAnswer(held, { ...next, windows: null as unknown as [] })).toMatch(/no windows/);
    expect(bits(held.maps)).toEqual(before);
    // A whole answer replaces whatever was held.
    const whole = ask(cache, input, null);
    expect((takeAnswer(null, whole) as HeldMaps).maps).toBe(whole.outputs);
  });

  test('a layer\'s scale kept from the rows a patch touched is symmetricScale\'s, and the same object while it stays', () => {
    const cache = createStackCache(undefined, 's:');
    let input: MapData = { shape: [1, 1, 20, 20], data: uniform(20 * 20, -1, 1, 5) };
    let held = takeAnswer(null, ask(cache, input, null)) as HeldMaps;
    const scale = createLayerScale();
    let last = scale(revisionOf(held.maps[0]));
    expect(last).toEqual(symmetricScale(held.maps[0].data));
    // Large values raise the limit; painting them over again lowers it back.
    // By hand: a value raised and lowered again on the first and last rows of a patch, in another channel.
    const map: MapData = { shape: [1, 2, 4, 4], data: Float32Array.from({ length: 32 }, (_, i) => (i % 5) / 10) };
    const byHand = createLayerScale();
    expect(byHand({ map, serial: 0, box: { y0: 0, y1: -1, x0: 0, x1: -1 } }).limit).toBeCloseTo(0.4);
    const steps: [number, number, number][] = [[1 * 16 + 2 * 4 + 1, 9, 9], [1 * 16 + 2 * 4 + 1, -0.1, 0.4], [1 * 16 + 3 * 4 + 3, -12, 12], [1 * 16 + 3 * 4 + 3, Number.NaN, 0.4]];
    steps.forEach(([at, value, limit], k) => {
      map.data[at] = value;
      expect(byHand({ map, serial: k + 1, box: { y0: 2, y1: 3, x0: 1, x1: 3 } }).limit).toBeCloseTo(limit);
    });
    for (const [y, x, v] of [[4, 4, 30], [4, 4, 0.1], [19, 0, -7], [10, 10, 0.2], [19, 0, 0.3], [10, 10, 0.25]] as const) {
      input = dab(input, y, x, v);
      held = takeAnswer(held, ask(cache, input, held.state)) as HeldMaps;
      const now = scale(revisionOf(held.maps[0]));
      expect(now).toEqual(symmetricScale(held.maps[0].data));
      if (now.limit === last.limit) expect(now).toBe(last);
      last = now;
    }
  });
});
