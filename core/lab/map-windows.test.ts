import { afterAll, describe, expect, it } from 'vitest';
import { setKernelPath } from '../ops/wasm/kernels';
import { mulberry32, uniform } from '../random';
import { createStackCache } from './incremental-stack';
import { applyWindows, changedInputWindow, cutWindows, windowProblem, type MapWindow } from './map-windows';
import { runStack } from './stack';
import type { LabLayer, MapData, Pair } from './types';

function conv(cin: number, cout: number, k: Pair, seed: number, padding: Pair = [0, 0]): LabLayer {
  return {
    type: 'conv2d',
    inChannels: cin,
    outChannels: cout,
    kernel: k,
    weight: { shape: [cout, cin, k[0], k[1]], data: uniform(cout * cin * k[0] * k[1], -1, 1, seed) },
    bias: uniform(cout, -0.5, 0.5, seed + 1),
    stride: [1, 1],
    padding,
    dilation: [1, 1],
    flip: false,
  };
}

/** A brush dab of `size`×`size` cells around (y, x), clipped to the map. */
function dab(input: MapData, y: number, x: number, size: number, value: number): MapData {
  const [, , h, w] = input.shape;
  const data = input.data.slice();
  for (let r = y - (size >> 1); r < y - (size >> 1) + size; r++) {
    for (let q = x - (size >> 1); q < x - (size >> 1) + size; q++) if (r >= 0 && r < h && q >= 0 && q < w) data[r * w + q] = value;
  }
  return { shape: input.shape, data };
}

/** Bit for bit, so −0 against +0 would not pass. */
function expectSameBits(got: readonly MapData[], want: readonly MapData[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((map, i) => {
    expect(map.shape).toEqual(want[i].shape);
    const a = new Int32Array(map.data.buffer, map.data.byteOffset, map.data.length);
    const b = new Int32Array(want[i].data.buffer, want[i].data.byteOffset, want[i].data.length);
    expect(a.length).toBe(b.length);
    let differ = -1;
    for (let k = 0; k < a.length && differ < 0; k++) if (a[k] !== b[k]) differ = k;
    expect(differ, `map ${i} differs at ${differ}`).toBe(-1);
  });
}

const values = (maps: readonly MapData[]) => maps.reduce((sum, m) => sum + m.data.length, 0);
const sent = (windows: readonly MapWindow[]) => windows.reduce((sum, w) => sum + w.data.length, 0);

/** The latency stack of issue 13, on a 128×128 input. */
const latencyStack = () => [conv(1, 4, [3, 3], 10), conv(4, 8, [3, 3], 20), conv(8, 8, [3, 3], 30)];

describe.each(['wasm', 'ts'] as const)('maps patched with the windows a dab changed (%s kernels)', (path) => {
  afterAll(() => void setKernelPath('wasm'));

  it('give a full run\'s maps bit for bit, dab after dab, at the corners and edges too, sending a few windows', () => {
    expect(setKernelPath(path)).toBe(path);
    const layers = latencyStack();
    const cache = createStackCache(undefined, 'test:');
    let input: MapData = { shape: [1, 1, 128, 128], data: uniform(128 * 128, -1, 1, 3) };
    const first = cache.windows(input, layers, null);
    expect(first.outputs).not.toBeNull();
    expect(first.windows).toEqual([]);
    const held = first.outputs!;
    let state = first.state;
    const random = mulberry32(5);
    // Corners and edges first (the windows there are clipped), then a stroke of random dabs.
    const spots: [number, number][] = [[0, 0], [0, 127], [127, 0], [127, 127], [0, 64], [64, 0], [127, 64], [64, 127], [1, 126]];
    for (let d = 0; d < 30; d++) spots.push([Math.floor(random() * 128), Math.floor(random() * 128)]);
    for (const [y, x] of spots) {
      const before = input;
      input = dab(input, y, x, 1 + Math.floor(random() * 3), Math.round(random() * 4 - 2) + 0.5);
      // Every other step sends only the window of the input that changed, as the page does.
      const sentInput = spots.indexOf(spots.find(([a, b]) => a === y && b === x)!) % 2 === 0 ? changedInputWindow(before.data, input)! : input;
      const answer = cache.windows(sentInput, layers, state);
      expect(answer.outputs).toBeNull();
      expect(answer.since).toBe(state);
      expect(answer.state).not.toBe(state);
      expect(answer.windows.length).toBeGreaterThan(0);
      // A dab's windows are a small part of the maps (here at most a 16×16 block per channel).
      expect(sent(answer.windows)).toBeLessThan(values(held) / 20);
      applyWindows(held, answer.windows);
      state = answer.state;
      expectSameBits(held, runStack(input, layers).outputs);
    }
  });
});

describe('windows of a stack run again', () => {
  it('are none when the dab changed nothing', () => {
    const layers = latencyStack();
    const cache = createStackCache();
    const input: MapData = { shape: [1, 1, 64, 64], data: uniform(64 * 64, -1, 1, 1) };
    const first = cache.windows(input, layers, null);
    const same = cache.windows({ shape: input.shape, data: input.data.slice() }, layers, first.state);
    expect(same).toMatchObject({ since: first.state, outputs: null, windows: [] });
    // Painting a cell its own value is no change either.
    const again = cache.windows(dab(input, 10, 10, 1, input.data[10 * 64 + 10]), layers, same.state);
    expect(again.windows).toEqual([]);
  });

  it('a padded stack sends the windows that reach its border, and still patches bit for bit', () => {
    const layers = [conv(1, 4, [3, 3], 1, [1, 1]), conv(4, 8, [5, 5], 2, [2, 2])];
    const cache = createStackCache();
    let input: MapData = { shape: [1, 1, 40, 40], data: uniform(40 * 40, -1, 1, 2) };
    let answer = cache.windows(input, layers, null);
    const held = answer.outputs!;
    for (const [y, x] of [[0, 0], [39, 39], [0, 39], [20, 0]]) {
      input = dab(input, y, x, 2, 3);
      answer = cache.windows(input, layers, answer.state);
      const window = answer.windows.find((w) => w.layer === 1)!;
      expect(window.y === 0 || window.y + window.height === 40 || window.x === 0 || window.x + window.width === 40).toBe(true);
      applyWindows(held, answer.windows);
      expectSameBits(held, runStack(input, layers).outputs);
    }
  });

  it('are replaced by every map when the asker holds other maps, none, or the stack changed', () => {
    const layers = latencyStack();
    const cache = createStackCache(undefined, 'a:');
    const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 1) };
    const first = cache.windows(input, layers, null);
    expect(first).toMatchObject({ since: null, windows: [] });
    expect(first.state).toMatch(/^a:/);
    const moved = dab(input, 5, 5, 1, 2);
    // A stale state (an answer the asker never applied, or another cache's) gets the whole maps.
    const stale = cache.windows(moved, layers, 'a:0');
    expect(stale.outputs).not.toBeNull();
    expectSameBits(stale.outputs!, runStack(moved, layers).outputs);
    expect(cache.windows(moved, layers, 'b:' + stale.state!.slice(2)).outputs).not.toBeNull();
    // A plain run in between moves the cache on: the next windows answer is whole.
    const afterWindows = cache.windows(moved, layers, null);
    cache.run(dab(moved, 6, 6, 1, 1), layers);
    expect(cache.windows(dab(moved, 6, 6, 1, 1), layers, afterWindows.state).outputs).not.toBeNull();
    // New weights: whole.
    const other = [conv(1, 4, [3, 3], 11), ...layers.slice(1)];
    const last = cache.windows(moved, layers, null);
    expect(cache.windows(moved, other, last.state).outputs).not.toBeNull();
  });
});

describe('an input sent as the window that changed', () => {
  const layers = latencyStack();
  const input: MapData = { shape: [1, 1, 32, 32], data: uniform(32 * 32, -1, 1, 8) };

  it('is the changed cells\' bounding box, one cell when nothing changed, or none when it is most of the input', () => {
    const moved = dab(dab(input, 3, 30, 1, 9), 6, 28, 1, 9);
    expect(changedInputWindow(input.data, moved)).toMatchObject({ shape: [1, 1, 32, 32], y: 3, x: 28, height: 4, width: 3 });
    expect(changedInputWindow(input.data, { shape: input.shape, data: input.data.slice() })).toMatchObject({ y: 0, x: 0, height: 1, width: 1 });
    expect(changedInputWindow(input.data, dab(dab(input, 0, 0, 1, 9), 31, 31, 1, 9))).toBeNull();
    expect(changedInputWindow(new Float32Array(4), input)).toBeNull();
  });

  it('patches the cache\'s last input; one for another input gets an empty answer that says so, and one outside the input is refused', () => {
    const cache = createStackCache(undefined, 'i:');
    const first = cache.windows(input, layers, null);
    const moved = dab(input, 30, 30, 2, 4);
    const window = changedInputWindow(input.data, moved)!;
    const answer = cache.windows(window, layers, first.state);
    const held = first.outputs!;
    applyWindows(held, answer.windows);
    expectSameBits(held, runStack(moved, layers).outputs);
    // Stale: the window patches an input this cache no longer has, or the asker names no state.
    expect(cache.windows(window, layers, first.state)).toEqual({ state: answer.state, since: null, outputs: null, windows: [] });
    expect(cache.windows(window, layers, null)).toMatchObject({ since: null, outputs: null, windows: [] });
    expect(() => cache.windows({ ...window, x: 31 }, layers, answer.state)).toThrow(/the input's window does not fit it: .*outside its 32×32 map/);
    expect(() => cache.windows({ ...window, data: new Float32Array(1) }, layers, answer.state)).toThrow(/holds 1 values/);
    // A refused window changed nothing: the next one still patches the same input.
    const again = cache.windows(changedInputWindow(moved.data, dab(moved, 1, 1, 1, 5))!, layers, answer.state);
    applyWindows(held, again.windows);
    expectSameBits(held, runStack(dab(moved, 1, 1, 1, 5), layers).outputs);
  });
});

describe('applying windows', () => {
  const maps = (): MapData[] => [
    { shape: [1, 2, 4, 5], data: Float32Array.from({ length: 40 }, (_, i) => i) },
    { shape: [1, 1, 3, 3], data: Float32Array.from({ length: 9 }, (_, i) => -i) },
  ];

  it('patches the maps it touches in place, says where, and leaves the others as they were', () => {
    const held = maps();
    const window: MapWindow = { layer: 0, y: 1, x: 2, height: 2, width: 3, data: Float32Array.from({ length: 12 }, (_, i) => 100 + i) };
    const boxes = applyWindows(held, [window]);
    const want = maps()[0].data;
    for (let c = 0; c < 2; c++) for (let r = 0; r < 2; r++) for (let q = 0; q < 3; q++) want[(c * 4 + 1 + r) * 5 + 2 + q] = 100 + (c * 2 + r) * 3 + q;
    expect(Array.from(held[0].data)).toEqual(Array.from(want));
    expect(Array.from(held[1].data)).toEqual(Array.from(maps()[1].data));
    expect(boxes).toEqual([{ y0: 1, y1: 2, x0: 2, x1: 4 }, { y0: 0, y1: -1, x0: 0, x1: -1 }]);
    // Cut back out, the window is what was patched in.
    expect(cutWindows(held, boxes)).toEqual([window]);
  });

  it('refuses a window that does not fit, by name, and changes nothing', () => {
    const before = maps();
    const good: MapWindow = { layer: 1, y: 0, x: 0, height: 1, width: 1, data: Float32Array.of(7) };
    const bad: [Partial<MapWindow>, RegExp][] = [
      [{ layer: 2 }, /names layer 2, but there are 2 maps/],
      [{ layer: -1 }, /names layer -1/],
      [{ layer: 0.5 }, /names layer 0.5/],
      [{ y: 3 }, /outside its 3×3 map/],
      [{ x: 2, width: 2, data: Float32Array.of(1, 2) }, /outside its 3×3 map/],
      [{ height: 0, data: new Float32Array(0) }, /outside/],
      [{ y: Number.NaN }, /outside/],
      [{ data: Float32Array.of(1, 2) }, /holds 2 values where 1×1×1 belong/],
      [{ data: [1] as unknown as Float32Array }, /holds no values/],
    ];
    for (const [change, message] of bad) {
      const window = { ...good, ...change };
      expect(windowProblem(before, window)).toMatch(message);
      expect(() => applyWindows(before, [good, window])).toThrow(message);
    }
    expectSameBits(before, maps());
  });
});
