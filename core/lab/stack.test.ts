import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../errors';
import { runStack, stackShapes } from './stack';
import type { MaxPoolSpec } from '../layers';
import type { LabConv, LabLayer, MapData } from './types';
import { onEachKernelPath } from '../test-support/kernel-paths';

const BARS: MapData = { shape: [1, 1, 6, 8], data: Float32Array.from(Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1]).flat()) };

function conv(cout: number, cin: number, k: [number, number], o: Partial<LabConv> = {}): LabLayer {
  return {
    type: 'conv2d', inChannels: cin, outChannels: cout, kernel: k, weight: { shape: [cout, cin, k[0], k[1]], data: new Float32Array(cout * cin * k[0] * k[1]).fill(1) },
    bias: new Float32Array(cout), stride: [1, 1], padding: [0, 0], dilation: [1, 1], flip: false, ...o,
  };
}
const pool = (o: Partial<MaxPoolSpec> = {}): LabLayer =>
  ({ type: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0], ...o });

function expectError(run: () => unknown, code: string, message: string): void {
  try {
    run();
    expect.fail('no error');
  } catch (e) {
    expect(e).toBeInstanceOf(ConvLabError);
    expect([(e as ConvLabError).code, (e as ConvLabError).message]).toEqual([code, message]);
  }
}

onEachKernelPath(() => {
  describe('runStack', () => {
    it('runs the book\'s edge detector and returns every layer\'s output', () => {
      const edge = conv(1, 1, [1, 2]);
      if ('weight' in edge) edge.weight.data.set([1, -1]);
      const { outputs } = runStack(BARS, [edge, { type: 'relu' }]);
      expect(outputs.map((o) => o.shape)).toEqual([[1, 1, 6, 7], [1, 1, 6, 7]]);
      expect(Array.from(outputs[0].data.slice(0, 7))).toEqual([0, 1, 0, 0, 0, -1, 0]);
      expect(Array.from(outputs[1].data.slice(0, 7))).toEqual([0, 1, 0, 0, 0, 0, 0]);
    });

    it('shapes agree with the outputs without computing them', () => {
      const layers = [conv(4, 1, [3, 3], { padding: [1, 1] }), pool(), conv(2, 4, [2, 3], { stride: [1, 2] }), { type: 'tanh' } as LabLayer];
      const shapes = stackShapes([1, 1, 6, 8], layers);
      expect(shapes).toEqual([[1, 4, 6, 8], [1, 4, 3, 4], [1, 2, 2, 1], [1, 2, 2, 1]]);
      expect(runStack(BARS, layers).outputs.map((o) => o.shape)).toEqual(shapes);
    });
  });

  describe('runStack and stackShapes refuse bad stacks, naming the layer', () => {
    it('kernel larger than the padded input', () => {
      expectError(() => stackShapes([1, 1, 6, 6], [conv(1, 1, [5, 5], { dilation: [2, 2] })]), 'shape',
        'layer 1 (conv2d): kernel 5×5 (9×9 with dilation 2) is larger than the padded input 6×6');
    });
    it('stride 0 in a later layer', () => {
      expectError(() => runStack(BARS, [{ type: 'relu' }, conv(1, 1, [2, 2], { stride: [0, 1] })]), 'range',
        'layer 2 (conv2d): stride must be ≥ 1, got 0');
    });
    it('channels that do not chain', () => {
      expectError(() => stackShapes([1, 1, 6, 8], [conv(3, 1, [3, 3]), conv(1, 2, [3, 3])]), 'shape',
        'layer 2 (conv2d): weight expects 2 input channels but the input has 3');
    });
    it('a pool that shrinks the map below its kernel', () => {
      expectError(() => stackShapes([1, 1, 3, 3], [pool(), pool()]), 'shape', 'layer 2 (maxpool): pool kernel 2×2 is larger than the padded input 1×1');
    });
    it('NaN in the input', () => {
      const data = Float32Array.from(BARS.data);
      data[17] = NaN;
      expectError(() => runStack({ shape: [1, 1, 6, 8], data }, []), 'nonfinite', 'input contains NaN at index 17');
    });
    it('Infinity in a weight', () => {
      const c = conv(1, 1, [2, 2]);
      if ('weight' in c) c.weight.data[3] = Infinity;
      expectError(() => runStack(BARS, [c]), 'nonfinite', 'layer 1 (conv2d): weight contains Infinity at index 3');
    });
    it('an image above the size limit', () => {
      expectError(() => stackShapes([1, 1, 600, 8], []), 'limit', 'input 600×8 is above the limit of 512×512');
    });
    it('too many layers', () => {
      expectError(() => stackShapes([1, 1, 6, 8], Array.from({ length: 17 }, () => ({ type: 'relu' }) as LabLayer)), 'limit',
        '17 layers is above the limit of 16');
    });
    it('an unknown activation', () => {
      expectError(() => stackShapes([1, 1, 6, 8], [{ type: 'gelu' } as unknown as LabLayer]), 'format',
        "layer 1 (gelu): the lab's stack has no layer type 'gelu'; it runs conv2d, maxpool, avgpool, relu, sigmoid, tanh");
    });
    it('weight data that does not fill its shape', () => {
      const c = conv(1, 1, [2, 2]);
      if ('weight' in c) c.weight.data = new Float32Array(3);
      expectError(() => stackShapes([1, 1, 6, 8], [c]), 'shape', 'layer 1 (conv2d): weight has 3 values but its shape 1×1×2×2 needs 4');
    });
  });
});
