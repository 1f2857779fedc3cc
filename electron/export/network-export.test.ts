// The export call names its network three ways; each gives a file of its kind. A trained BN-LeNet exports as a
// BN-LeNet whatever the page's selector shows (the script once read WEIGHTS["undefined.gamma"] for it).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BOOK_SETTINGS, trainingNet } from '../../core/nets/catalogue';
import { initParams } from '../../core/nets/params';
import { NetworkExportRequest } from '../contract/export-contract';
import { saveNet } from '../contract/lab-file-v3';
import { parseModel } from '../model/read-onnx';
import { networkExport } from './network-export';

const request = (r: unknown) => v.parse(NetworkExportRequest, r);

describe('exportNetwork', () => {
  it('a trained BN-LeNet: its own layers and weights, by its own settings', () => {
    const settings = BOOK_SETTINGS.bn_lenet;
    const net = saveNet(settings, initParams(trainingNet(settings).spec, { seed: 1 }), { epochs: [], batchLosses: [] });
    const script = networkExport(request({ from: 'trained', format: 'py', net })).data as string;
    expect(networkExport(request({ from: 'trained', format: 'py', net })).fileName).toBe('bn_lenet');
    expect(script).toContain('("1.weight", [6]),  # ConvLab\'s 1.gamma');
    expect(script).not.toContain('undefined');
    const model = parseModel(networkExport(request({ from: 'trained', format: 'onnx', net })).data as Uint8Array);
    expect(model.ops).toContain('BatchNormalization');
  });

  it('a book network at a size, and the lab\'s stack', () => {
    const book = networkExport(request({ from: 'book', format: 'onnx', net: 'alexnet', side: 67, channels: 3, divisor: 8 }));
    expect(book.fileName).toBe('alexnet-67');
    expect(parseModel(book.data as Uint8Array).inputs[0].shape).toEqual([1, 3, 67, 67]);
    const stack = request({
      from: 'stack', format: 'onnx', input: { shape: [1, 1, 8, 8], data: new Float32Array(64) },
      layers: [{ type: 'conv2d', inChannels: 1, outChannels: 2, kernel: [3, 3], weight: { shape: [2, 1, 3, 3], data: new Float32Array(18) }, bias: new Float32Array(2), stride: [1, 1], padding: [0, 0], dilation: [1, 1], flip: true }, { type: 'relu' }],
    });
    expect(parseModel(networkExport(stack).data as Uint8Array).ops).toEqual(['Conv', 'Identity', 'Relu']);
  });

  it('a stack ending in a map has no classes to train: its script is refused by name, its ONNX is not', () => {
    const stack = { from: 'stack', input: { shape: [1, 1, 8, 8], data: new Float32Array(64) }, layers: [{ type: 'tanh' }] };
    expect(() => networkExport(request({ ...stack, format: 'py' }))).toThrow(/ConvLab lab stack gives 1×1×8×8 maps, not N×classes scores/);
    expect(networkExport(request({ ...stack, format: 'onnx' })).data).toBeInstanceOf(Uint8Array);
  });

  it('a network whose file would pass the export limit is refused with its size before it is built', () => {
    expect(() => networkExport(request({ from: 'book', format: 'onnx', net: 'vgg11', side: 224, channels: 1, divisor: 1 })))
      .toThrow(/^VGG-11 at 1×1×224×224 holds 128,\d{3},\d{3} parameter values, about \d+ MB as ONNX; an export holds at most 128 MB/);
  });
});
