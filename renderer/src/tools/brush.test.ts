import { describe, expect, test } from 'vitest';
import { createBrushTool, footprint, lineCells } from './brush';

describe('brush', () => {
  test('a line between two cells has no gaps and includes both ends', () => {
    expect(lineCells({ y: 0, x: 0 }, { y: 0, x: 3 })).toEqual([
      { y: 0, x: 0 },
      { y: 0, x: 1 },
      { y: 0, x: 2 },
      { y: 0, x: 3 },
    ]);
    const diagonal = lineCells({ y: 0, x: 0 }, { y: 3, x: 3 });
    expect(diagonal).toHaveLength(4);
    expect(diagonal[3]).toEqual({ y: 3, x: 3 });
  });

  test('a size-3 brush covers a 3×3 square around the point', () => {
    expect(footprint([{ y: 5, x: 5 }], 3)).toHaveLength(9);
    expect(footprint([{ y: 5, x: 5 }], 1)).toEqual([{ y: 5, x: 5 }]);
  });

  test('one stroke is one gesture that paints as it moves, and Shift continues from the last point', () => {
    const painted: { y: number; x: number }[][] = [];
    const log: string[] = [];
    const tool = createBrushTool(
      {
        beginGesture: () => log.push('begin'),
        endGesture: () => log.push('end'),
        paint: (cells) => painted.push(cells),
      },
      () => ({ mode: 'brush', size: 1, value: 1 }),
    );
    const event = (type: 'down' | 'move' | 'up', y: number, x: number, shift = false) =>
      tool.handle({ type, y, x, shift, buttons: 1 });
    event('down', 0, 0);
    event('move', 0, 2);
    event('up', 0, 2);
    expect(log).toEqual(['begin', 'end']);
    expect(painted[1]).toEqual([
      { y: 0, x: 0 },
      { y: 0, x: 1 },
      { y: 0, x: 2 },
    ]);
    event('down', 2, 2, true);
    expect(painted[2]).toEqual([
      { y: 0, x: 2 },
      { y: 1, x: 2 },
      { y: 2, x: 2 },
    ]);
    expect(tool.state).toBe('drawing');
  });
});
