import { describe, expect, it } from 'vitest';
import { inferSpec } from '../../../core/nets/infer';
import { lenetSpec } from '../../../core/nets/lenet';
import { probeBoxes } from '../../../core/nets/probe-boxes';
import { engineUnit, heatExtent, netBlocks, probeOutlines } from './net-blocks';

/** A prediction's layers for a LeNet (types and shapes only), as the worker lists them. */
function lenetLayers(options: Parameters<typeof lenetSpec>[0] = {}) {
  const spec = lenetSpec(options);
  const rows = inferSpec(spec, [1, 1, 28, 28]).rows;
  return { spec, rows, layers: [{ path: 'input', type: 'input', shape: [1, 1, 28, 28] }, ...rows.map((r) => ({ path: r.path, type: r.spec.type, shape: r.output }))] };
}

describe('netBlocks', () => {
  it('names the book’s LeNet as Gluon builds it: each conv and dense with its activation, shown after it', () => {
    const blocks = netBlocks(lenetLayers().layers);
    expect(blocks.map((b) => [b.name, b.index, b.shape])).toEqual([
      ['input', -1, [1, 28, 28]],
      ['conv1', 1, [6, 24, 24]],
      ['pool1', 2, [6, 12, 12]],
      ['conv2', 4, [16, 8, 8]],
      ['pool2', 5, [16, 4, 4]],
      ['dense1', 7, [120]],
      ['dense2', 9, [84]],
      ['dense3', 10, [10]],
    ]);
  });

  it('keeps a batch norm inside its block (BN-LeNet)', () => {
    const blocks = netBlocks(lenetLayers({ batchNorm: true }).layers);
    expect(blocks.map((b) => b.name)).toEqual(['input', 'conv1', 'pool1', 'conv2', 'pool2', 'dense1', 'dense2', 'dense3']);
    expect(blocks[1].index).toBe(2);
  });
});

describe('blocks as the layer table says', () => {
  // A kind the table does not know (an imported operator, say) is a block of its own that mixes channels; a global
  // average pooling's row says it keeps each channel, so a unit above it outlines one channel below.
  const layers = [
    { path: 'input', type: 'input', shape: [1, 3, 8, 8] },
    { path: '0', type: 'conv2d', shape: [1, 4, 6, 6] },
    { path: '1', type: 'toy_scale', shape: [1, 4, 6, 6] },
    { path: '2', type: 'global_avg_pool', shape: [1, 4, 1, 1] },
  ];
  const blocks = netBlocks(layers);
  const types = layers.slice(1).map((l) => l.type);
  const box = { top: 0, left: 0, bottom: 5, right: 5 };
  const unit = { block: 3, c: 2, y: 0, x: 0 };
  const outline = (at: number, channel: number) => probeOutlines(blocks, types, unit, false, [box, box, box, box], at, channel);

  it('names an unknown kind by its type and a known one by its row', () => {
    expect(blocks.map((b) => [b.name, b.kind])).toEqual([['input', 'input'], ['conv1', 'conv'], ['toy_scale', 'other'], ['global_avg_pool', 'other']]);
  });

  it('keeps the channel through a kind whose row keeps it, not through an unknown kind', () => {
    expect(outline(2, 2)).toEqual([{ ...box, kind: 'window' }]);
    expect(outline(2, 1)).toEqual([]);
    expect(outline(1, 0)).toEqual([{ ...box, kind: 'field' }]);
  });
});

describe('probeOutlines', () => {
  const { spec, rows, layers } = lenetLayers();
  const blocks = netBlocks(layers);
  const types = layers.slice(1).map((l) => l.type);

  it('a conv2 unit: itself on its channel, its 5×5 window on every pool1 channel, its 14×14 field on conv1 and the image', () => {
    const unit = { block: 3, c: 2, y: 1, x: 6 };
    const boxes = probeBoxes({ spec, rows }, blocks[3].index, { c: 2, y: 1, x: 6 });
    const outline = (at: number, channel: number) => probeOutlines(blocks, types, unit, false, boxes, at, channel);
    expect(outline(3, 2)).toEqual([{ top: 1, left: 6, bottom: 1, right: 6, kind: 'unit' }]);
    expect(outline(3, 0)).toEqual([]);
    for (const c of [0, 5]) expect(outline(2, c)).toEqual([{ top: 1, left: 6, bottom: 5, right: 10, kind: 'window' }]);
    expect(outline(1, 4)).toEqual([{ top: 2, left: 12, bottom: 11, right: 21, kind: 'field' }]);
    expect(outline(0, 0)).toEqual([{ top: 2, left: 12, bottom: 15, right: 25, kind: 'field' }]);
    expect(outline(4, 2)).toEqual([]);
    expect(probeOutlines(blocks, types, unit, true, boxes, 3, 2)[0].kind).toBe('pinned');
  });

  it('a pool2 unit reads one conv2 channel only: its 2×2 window there, the field on everything below', () => {
    const unit = { block: 4, c: 7, y: 3, x: 0 };
    const boxes = probeBoxes({ spec, rows }, blocks[4].index, { c: 7, y: 3, x: 0 });
    expect(probeOutlines(blocks, types, unit, false, boxes, 3, 7)).toEqual([{ top: 6, left: 0, bottom: 7, right: 1, kind: 'window' }]);
    expect(probeOutlines(blocks, types, unit, false, boxes, 3, 6)).toEqual([]);
    expect(probeOutlines(blocks, types, unit, false, boxes, 0, 0)).toEqual([{ top: 12, left: 0, bottom: 27, right: 15, kind: 'field' }]);
  });

  it('a dense unit reads all of the vector below and all of every map', () => {
    const unit = { block: 6, c: 0, y: 0, x: 40 };
    expect(engineUnit(blocks, unit)).toEqual([40]);
    expect(engineUnit(blocks, { block: 3, c: 1, y: 2, x: 3 })).toEqual([1, 2, 3]);
    const boxes = probeBoxes({ spec, rows }, blocks[6].index, { y: 0, x: 0 });
    expect(probeOutlines(blocks, types, unit, false, boxes, 5, 0)).toEqual([{ top: 0, left: 0, bottom: 0, right: 119, kind: 'window' }]);
    expect(probeOutlines(blocks, types, unit, false, boxes, 4, 15)).toEqual([{ top: 0, left: 0, bottom: 3, right: 3, kind: 'field' }]);
    expect(probeOutlines(blocks, types, unit, false, boxes, 0, 0)).toEqual([{ top: 0, left: 0, bottom: 27, right: 27, kind: 'field' }]);
    expect(probeOutlines(blocks, types, unit, false, boxes, 6, 0)).toEqual([{ top: 0, left: 40, bottom: 0, right: 40, kind: 'unit' }]);
  });

  it('draws nothing below until the engine’s boxes arrive, but the unit at once', () => {
    const unit = { block: 3, c: 0, y: 0, x: 0 };
    expect(probeOutlines(blocks, types, unit, false, null, 0, 0)).toEqual([]);
    expect(probeOutlines(blocks, types, unit, false, null, 3, 0)).toHaveLength(1);
  });
});

describe('heatExtent', () => {
  it('counts the nonzero pixels and boxes them', () => {
    const g = new Float32Array(28 * 28);
    g[2 * 28 + 5] = 0.1;
    g[9 * 28 + 3] = -0.2;
    expect(heatExtent(g, 28)).toEqual({ reached: 2, box: { top: 2, left: 3, bottom: 9, right: 5 } });
    expect(heatExtent(new Float32Array(4), 2)).toEqual({ reached: 0, box: null });
  });
});
