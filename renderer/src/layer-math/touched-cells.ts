/**
 * Which cells of a layer's output read a given cell of its input: the inverse of the sliding window, so pointing
 * at an input cell can light up every output cell it touches.
 */
import type { Layer } from '../document/document';

export function touchedCells(
  layer: Layer,
  cell: { y: number; x: number },
  outSize: [number, number],
): { y: number; x: number }[] {
  if (layer.kind === 'act') return [cell];
  const kernel = layer.kind === 'conv' ? layer.kernelSize : layer.kernel;
  const dilation = layer.kind === 'conv' ? layer.dilation : [1, 1];
  const axis = (a: 0 | 1, at: number): number[] => {
    const hits: number[] = [];
    for (let o = 0; o < outSize[a]; o++) {
      const offset = at - (o * layer.stride[a] - layer.padding[a]);
      if (offset >= 0 && offset % dilation[a] === 0 && offset / dilation[a] < kernel[a]) hits.push(o);
    }
    return hits;
  };
  const rows = axis(0, cell.y);
  const cols = axis(1, cell.x);
  return rows.flatMap((y) => cols.map((x) => ({ y, x })));
}
