/**
 * The brush as a small state machine: idle → drawing → idle. Each move paints the cells between the last point
 * and this one (so a fast stroke leaves no gaps) and the maps update stroke by stroke; Shift draws a straight line
 * from the last point painted. One stroke is one undo step.
 */
import type { CellPointer } from '../maps/map-grid-types';

export interface BrushSettings {
  mode: 'brush' | 'eraser';
  size: number;
  value: number;
}

export interface BrushTarget {
  beginGesture(): void;
  endGesture(): void;
  paint(cells: { y: number; x: number }[], value: number): void;
}

/** Cells on the straight segment from a to b (Bresenham), both ends included. */
export function lineCells(a: { y: number; x: number }, b: { y: number; x: number }): { y: number; x: number }[] {
  const cells = [];
  let { y, x } = a;
  const dy = Math.abs(b.y - y);
  const dx = Math.abs(b.x - x);
  const sy = y < b.y ? 1 : -1;
  const sx = x < b.x ? 1 : -1;
  let err = dx - dy;
  for (;;) {
    cells.push({ y, x });
    if (y === b.y && x === b.x) break;
    const e2 = 2 * err;
    if (e2 > -dy) {
      err -= dy;
      x += sx;
    }
    if (e2 < dx) {
      err += dx;
      y += sy;
    }
  }
  return cells;
}

/** The square footprint of a brush of `size` cells centred on each point. */
export function footprint(points: { y: number; x: number }[], size: number): { y: number; x: number }[] {
  if (size <= 1) return points;
  const before = Math.floor((size - 1) / 2);
  const seen = new Set<string>();
  const cells = [];
  for (const p of points) {
    for (let dy = -before; dy < size - before; dy++) {
      for (let dx = -before; dx < size - before; dx++) {
        const key = `${p.y + dy},${p.x + dx}`;
        if (seen.has(key)) continue;
        seen.add(key);
        cells.push({ y: p.y + dy, x: p.x + dx });
      }
    }
  }
  return cells;
}

export function createBrushTool(target: BrushTarget, settings: () => BrushSettings) {
  let state: 'idle' | 'drawing' = 'idle';
  let last: { y: number; x: number } | null = null;

  const value = () => (settings().mode === 'eraser' ? 0 : settings().value);
  const paintTo = (to: { y: number; x: number }, from: { y: number; x: number } | null) =>
    target.paint(footprint(from ? lineCells(from, to) : [to], settings().size), value());

  return {
    get state() {
      return state;
    },
    handle(pointer: CellPointer): void {
      const at = { y: pointer.y, x: pointer.x };
      if (pointer.type === 'down' && state === 'idle') {
        state = 'drawing';
        target.beginGesture();
        paintTo(at, pointer.shift ? last : null);
        last = at;
      } else if (pointer.type === 'move' && state === 'drawing') {
        if (last && last.y === at.y && last.x === at.x) return;
        paintTo(at, last);
        last = at;
      } else if ((pointer.type === 'up' || pointer.type === 'leave') && state === 'drawing') {
        state = 'idle';
        target.endGesture();
      }
    },
  };
}
