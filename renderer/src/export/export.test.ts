import { expect, test } from 'vitest';
import { imageFromRows, makeActivation, makeConv, makePool } from '../document/document';
import { defaultTraining } from '../training/training-doc';
import { lossCsv, mapCsv, mapPixels, maxPixelsPerCell } from './map-image';
import { pytorchScript } from './pytorch-script';

test('each cell becomes an n×n block of its colour', () => {
  const px = mapPixels(Float32Array.from([-1, 0, 1, 0]), 2, 2, { limit: 1 }, 3);
  const at = (y: number, x: number) => Array.from(px.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 4));
  expect(at(0, 0)).toEqual([33, 102, 172, 255]);
  expect(at(2, 2)).toEqual([33, 102, 172, 255]);
  expect(at(0, 3)).toEqual([247, 247, 247, 255]);
  expect(at(5, 0)).toEqual([178, 24, 43, 255]);
  expect(at(5, 5)).toEqual([247, 247, 247, 255]);
  expect(maxPixelsPerCell(512, 100)).toBe(8);
});

test('values and losses as CSV', () => {
  expect(mapCsv(Float32Array.from([19, 25, 37, 43.1]), 2, 2)).toBe('19,25\n37,43.1\n');
  expect(lossCsv([4.9, 0.8], [10, 20])).toBe('iteration,loss\n10,4.9\n20,0.8\n');
});

test('the PyTorch script carries the exact stack, flips convolution kernels and pads wide pooling itself', () => {
  const conv = makeConv([[0, 1], [2, 3]], { flip: true, padding: [1, 0], dilation: [2, 1] });
  const wide = { ...makePool('max'), kernel: [2, 3] as [number, number], padding: [1, 2] as [number, number] };
  const avg = { ...makePool('avg'), countIncludePad: false };
  const doc = { input: imageFromRows([[0, 0.1], [2, 3]]), layers: [conv, makeActivation('relu'), wide, avg], training: defaultTraining() };
  const script = pytorchScript(doc, 'edges');
  expect(script).toContain('x = torch.tensor([0, 0.1, 2, 3], dtype=torch.float32).reshape(1, 1, 2, 2)');
  expect(script).toContain('conv = nn.Conv2d(1, 1, kernel_size=(2, 2), stride=(1, 1), padding=(1, 0), dilation=(2, 1))');
  expect(script).toContain('weight = torch.tensor([0, 1, 2, 3], dtype=torch.float32).reshape(1, 1, 2, 2)');
  expect(script).toContain('conv.weight.copy_(torch.flip(weight, dims=(2, 3)))');
  expect(script).toContain('layers.append(nn.ReLU())');
  expect(script).toContain('is wider than half its window (2, 3)');
  expect(script).toContain('layers.append(PadThenPool("max", (2, 3), (2, 2), (1, 2), count_include_pad=True))');
  expect(script).toContain('layers.append(nn.AvgPool2d((2, 2), stride=(2, 2), padding=(0, 0), count_include_pad=False))');
  expect(script).toContain('import torch.nn.functional as F');
  expect(pytorchScript({ ...doc, layers: [makeConv([[1]])] }, 'x')).not.toContain('PadThenPool');
});
