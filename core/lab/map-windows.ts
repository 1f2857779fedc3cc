/**
 * A lab stack's maps sent as the windows that changed: after a brush dab, each layer's answer is the rectangle of
 * cells the dab could reach (all its channels), not the whole map. The side that computed them cuts the windows
 * (cutWindows); the side that keeps the last maps patches them in, in place (applyWindows), and has the new maps bit
 * for bit.
 * A window that does not fit the maps it is applied to is refused by name and changes nothing.
 */
import type { MapData } from './types';

/** Rows y..y+height-1 and columns x..x+width-1 of every channel of layer `layer`'s map, channel after channel. */
export interface MapWindow {
  layer: number;
  y: number;
  x: number;
  height: number;
  width: number;
  data: Float32Array;
}

/**
 * The part of an input that changed since the input of a cache's last run (its state): rows y..y+height-1 and columns
 * x..x+width-1 of every channel of an input of `shape`, channel after channel. A brush step sends this, not its image.
 */
export interface InputWindow {
  shape: MapData['shape'];
  y: number;
  x: number;
  height: number;
  width: number;
  data: Float32Array;
}

/** Inclusive rows and columns of a map that may have changed; y1 < y0 (or x1 < x0) means none did. */
export interface ChangedBox {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/** What changed in one layer's map: nothing (an empty box), a box, or the whole map ('all'). */
export type LayerChange = ChangedBox | 'all';

export const isEmptyBox = (box: ChangedBox): boolean => box.y1 < box.y0 || box.x1 < box.x0;

/**
 * The windows of `maps` named by `changes` (one per map), as fresh arrays the caller may transfer: nothing for a map
 * that did not change, the whole map for 'all'.
 */
export function cutWindows(maps: readonly MapData[], changes: readonly LayerChange[]): MapWindow[] {
  const windows: MapWindow[] = [];
  maps.forEach((map, layer) => {
    const [, c, h, w] = map.shape;
    const change = changes[layer] ?? 'all';
    const box = change === 'all' ? { y0: 0, y1: h - 1, x0: 0, x1: w - 1 } : change;
    const y0 = Math.max(0, box.y0), y1 = Math.min(h - 1, box.y1), x0 = Math.max(0, box.x0), x1 = Math.min(w - 1, box.x1);
    if (y1 < y0 || x1 < x0) return;
    const height = y1 - y0 + 1, width = x1 - x0 + 1;
    const data = new Float32Array(c * height * width);
    for (let ch = 0; ch < c; ch++) {
      for (let r = 0; r < height; r++) {
        const from = (ch * h + y0 + r) * w + x0;
        data.set(map.data.subarray(from, from + width), (ch * height + r) * width);
      }
    }
    windows.push({ layer, y: y0, x: x0, height, width, data });
  });
  return windows;
}

/** The cells of `now` that differ from `before` bit for bit, over all channels, as one box. */
export function changedBox(before: Float32Array, now: Float32Array, channels: number, h: number, w: number): ChangedBox {
  const box = { y0: h, y1: -1, x0: w, x1: -1 };
  const a = new Int32Array(before.buffer, before.byteOffset, before.length);
  const b = new Int32Array(now.buffer, now.byteOffset, now.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < h; y++) {
      const row = (c * h + y) * w;
      for (let x = 0; x < w; x++) {
        if (a[row + x] === b[row + x]) continue;
        if (y < box.y0) box.y0 = y;
        if (y > box.y1) box.y1 = y;
        if (x < box.x0) box.x0 = x;
        if (x > box.x1) box.x1 = x;
      }
    }
  }
  return box;
}

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

/**
 * The window of `now` where it differs from `before` (bit for bit), both of `shape`: at least one cell (the first,
 * unchanged, when nothing changed), or null when the inputs' sizes differ or the window is more than half the input.
 */
export function changedInputWindow<M extends MapData>(before: Float32Array, now: M): (InputWindow & { shape: M['shape'] }) | null {
  const [, c, h, w] = now.shape;
  if (before.length !== now.data.length) return null;
  let { y0, y1, x0, x1 } = changedBox(before, now.data, c, h, w);
  if (y1 < 0) [y0, y1, x0, x1] = [0, 0, 0, 0];
  const height = y1 - y0 + 1, width = x1 - x0 + 1;
  if (2 * height * width > h * w) return null;
  const [window] = cutWindows([now], [{ y0, y1, x0, x1 }]);
  return { shape: now.shape, y: window.y, x: window.x, height, width, data: window.data };
}

/** Why `window` cannot be patched into `maps`, or null when it fits. */
export function windowProblem(maps: readonly MapData[], window: MapWindow): string | null {
  const { layer, y, x, height, width, data } = window;
  if (!isCount(layer) || layer >= maps.length) return `a window names layer ${String(layer)}, but there are ${maps.length} maps`;
  const [, c, h, w] = maps[layer].shape;
  if (![y, x, height, width].every(isCount) || height === 0 || width === 0 || y + height > h || x + width > w) {
    return `a window of layer ${layer} (rows ${String(y)}+${String(height)}, columns ${String(x)}+${String(width)}) is outside its ${h}×${w} map`;
  }
  if (!(data instanceof Float32Array) || data.length !== c * height * width) {
    return `a window of layer ${layer} holds ${data instanceof Float32Array ? data.length : 'no'} values where ${c}×${height}×${width} belong`;
  }
  return null;
}

/** Where each map changed: one box per map, empty where no window touched it. */
export type PatchedBoxes = ChangedBox[];

/**
 * Patches `windows` into `maps`, in place (the keeper of the maps pays for no copy of them), and says where each map
 * changed. Throws, with nothing changed, if any window does not fit.
 */
export function applyWindows(maps: readonly MapData[], windows: readonly MapWindow[]): PatchedBoxes {
  for (const window of windows) {
    const problem = windowProblem(maps, window);
    if (problem) throw new Error(problem);
  }
  const boxes: PatchedBoxes = maps.map(() => ({ y0: 0, y1: -1, x0: 0, x1: -1 }));
  for (const { layer, y, x, height, width, data } of windows) {
    const [, c, h, w] = maps[layer].shape;
    const target = maps[layer].data;
    for (let ch = 0; ch < c; ch++) {
      for (let r = 0; r < height; r++) {
        const from = (ch * height + r) * width;
        target.set(data.subarray(from, from + width), (ch * h + y + r) * w + x);
      }
    }
    const box = boxes[layer];
    boxes[layer] = isEmptyBox(box)
      ? { y0: y, y1: y + height - 1, x0: x, x1: x + width - 1 }
      : { y0: Math.min(box.y0, y), y1: Math.max(box.y1, y + height - 1), x0: Math.min(box.x0, x), x1: Math.max(box.x1, x + width - 1) };
  }
  return boxes;
}
