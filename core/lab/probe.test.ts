import { describe, expect, it } from 'vitest';
import { probeUnit } from './probe';
import type { LabLayer, MapData } from './types';
import { onEachKernelPath } from '../test-support/kernel-paths';

const ones = (h: number, w: number): MapData => ({ shape: [1, 1, h, w], data: new Float32Array(h * w).fill(1) });
const conv = (k: number, s = 1, p = 0, d = 1, value = 1): LabLayer => ({
  type: 'conv2d', outChannels: 1, inChannels: 1, kernel: [k, k], weight: { shape: [1, 1, k, k], data: new Float32Array(k * k).fill(value) }, bias: new Float32Array(1),
  stride: [s, s], padding: [p, p], dilation: [d, d], flip: false,
});
const maxPool = (k: number, s: number, p = 0): LabLayer => ({ type: 'maxpool', kernel: [k, k], stride: [s, s], padding: [p, p] });

onEachKernelPath(() => {
  describe('probeUnit', () => {
    it('gives the arithmetic per prefix, the walked box in every earlier map and the analytic box', () => {
      const layers = [conv(3), maxPool(2, 2), conv(3)];
      const p = probeUnit(ones(12, 12), layers, 2, { c: 0, y: 2, x: 2 });
      expect(p.perLayer.map((f) => [f.layer, f.size[0], f.jump[0], f.start[0]])).toEqual([[0, 3, 1, 0], [1, 4, 2, 0], [2, 8, 2, 0]]);
      expect(p.boxes).toEqual([
        { top: 4, left: 4, bottom: 11, right: 11 },
        { top: 4, left: 4, bottom: 9, right: 9 },
        { top: 2, left: 2, bottom: 4, right: 4 },
      ]);
      expect(p.analyticBox).toEqual({ top: 4, left: 4, bottom: 11, right: 11 });
    });

    it('its gradient is nonzero exactly on the walked box for positive weights, with dilation holes', () => {
      const p = probeUnit(ones(7, 7), [conv(3, 1, 0, 2)], 0, { c: 0, y: 1, x: 1 });
      const nonzero: number[] = [];
      p.gradient.data.forEach((v, i) => v !== 0 && nonzero.push(i));
      expect(p.gradient.shape).toEqual([1, 1, 7, 7]);
      expect(nonzero).toEqual([8, 10, 12, 22, 24, 26, 36, 38, 40]);
    });

    it('max pooling routes the gradient through the window\'s largest cell only', () => {
      const x: MapData = { shape: [1, 1, 2, 2], data: Float32Array.of(1, 5, 3, 2) };
      const p = probeUnit(x, [maxPool(2, 2)], 0, { c: 0, y: 0, x: 0 });
      expect(Array.from(p.gradient.data)).toEqual([0, 1, 0, 0]);
    });

    it('ReLU stops the gradient where the unit is inactive', () => {
      const p = probeUnit(ones(4, 4), [conv(3, 1, 0, 1, -1), { type: 'relu' }], 1, { c: 0, y: 0, x: 0 });
      expect(p.gradient.data.every((v) => v === 0)).toBe(true);
    });

    it('refuses a unit outside the map and a layer outside the stack', () => {
      expect(() => probeUnit(ones(6, 6), [conv(3)], 0, { c: 0, y: 4, x: 0 })).toThrow("unit (channel 0, row 4, col 0) is outside layer 1's 1×4×4 output");
      expect(() => probeUnit(ones(6, 6), [conv(3)], 1, { c: 0, y: 0, x: 0 })).toThrow('layer index 1 is outside 0..0');
      expect(() => probeUnit(ones(6, 6), [], 0, { c: 0, y: 0, x: 0 })).toThrow('the stack has no layers to probe');
    });
  });
});
