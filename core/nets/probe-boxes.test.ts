import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Box } from '../receptive-field';
import { buildNetwork, type NetId } from './book-nets';
import { hullBox, probeBoxes, type UnitRef } from './probe-boxes';

/** Units of block outputs and the image cells their gradient reaches, measured by autograd (probe-boxes.py). */
const here = path.dirname(fileURLToPath(import.meta.url));
const PROBES = (JSON.parse(readFileSync(path.resolve(here, '../test-support/probe-boxes.json'), 'utf8')) as {
  probes: { net: NetId; input_shape: number[]; block: number; unit: UnitRef; gradient_box: Box }[];
}).probes;

describe('what a unit reads, walked back through branches and skips, equals what its gradient reaches (PyTorch)', () => {
  for (const p of PROBES) {
    const u = p.unit;
    it(`${p.net} at ${p.input_shape[2]}: block ${p.block}, unit ${u.c === undefined ? 'all channels' : `channel ${u.c}`} (${u.y}, ${u.x})`, () => {
      const net = buildNetwork(p.net, p.input_shape);
      const b = net.blocks[p.block];
      expect(probeBoxes(net, b.first + b.count - 1, p.unit)[0]).toEqual(p.gradient_box);
    });
  }
});

describe('probeBoxes', () => {
  it('gives a box in the input of every layer up to the unit’s, its own window last', () => {
    const net = buildNetwork('lenet', [1, 1, 28, 28]);
    const boxes = probeBoxes(net, 3, { y: 7, x: 0 });
    expect(boxes).toEqual([
      { top: 14, left: 0, bottom: 27, right: 13 }, // the image, read by conv0's 5×5 windows
      { top: 14, left: 0, bottom: 23, right: 9 }, // conv0's output, read by the sigmoid cell for cell
      { top: 14, left: 0, bottom: 23, right: 9 }, // the sigmoid's output, read by pool0's 2×2 windows
      { top: 7, left: 0, bottom: 11, right: 4 }, // pool0's output: conv1's own 5×5 window
    ]);
  });

  it('refuses a unit or a layer that does not exist', () => {
    const net = buildNetwork('lenet', [1, 1, 28, 28]);
    expect(() => probeBoxes(net, 11, { y: 0, x: 0 })).toThrow('layer index 11 is outside 0..10');
    expect(() => probeBoxes(net, 3, { y: 8, x: 0 })).toThrow("unit (row 8, col 0) is outside layer 3's 8×8 output");
    expect(() => probeBoxes(net, 3, { c: 16, y: 0, x: 0 })).toThrow("channel 16 is outside layer 3's 16 channels");
  });

  it('hulls boxes, leaving out empty ones', () => {
    expect(hullBox([{ top: 1, left: 4, bottom: 2, right: 5 }, { top: 0, left: 6, bottom: -1, right: 5 }, { top: 3, left: 0, bottom: 3, right: 0 }]))
      .toEqual({ top: 1, left: 0, bottom: 3, right: 5 });
  });
});
