import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BOOK_SETTINGS, trainingNet } from '../../core/nets/catalogue';
import { lenetSpec } from '../../core/nets/lenet';
import { initParams } from '../../core/nets/params';
import { predictImage } from '../../core/nets/predict-image';
import { gateLabText, serializeLab, type Lab } from './lab-file';
import { decimate, decodeFloats, encodeFloats, saveNet, savedNetParams } from './lab-file-v3';
import { BOOK_NET_SETTINGS } from './net-contract';

const FIXTURES = join(import.meta.dirname, '../services/fixtures');
const open = (name: string) => {
  const result = gateLabText(readFileSync(join(FIXTURES, name), 'utf8'));
  if (!result.ok) throw new Error(result.message);
  return result.lab;
};

describe('version 3: a trained net in the lab file', () => {
  test('good-v3 keeps the net: settings, every tensor by path, and the history', () => {
    const { net } = open('good-v3.convlab.json');
    expect(net?.settings).toMatchObject({ activation: 'relu', pooling: 'avg', channels: [2, 3], seed: 7 });
    expect(net?.params.map((t) => t.path)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '6.weight', '6.bias', '8.weight', '8.bias', '10.weight', '10.bias']);
    expect(net?.history.epochs[0].line).toBe('epoch 1, loss 0.7123, train acc 0.731, test acc 0.782, time 9.4 sec');
    expect(net?.history.batchLosses).toEqual([2.31, 2.2, 1.9, 1.4, 1.1]);
    // The fixture's weights are core's Xavier init for seed 7, bit for bit.
    const fresh = initParams(lenetSpec({ activation: 'relu', pooling: 'avg', channels: [2, 3] }), { seed: 7 });
    for (const [path, tensor] of savedNetParams(net!)) expect(tensor.data).toEqual(fresh.get(path)!.data);
  });

  test('labs of versions 1 and 2 open as version 3 with no net, and lose nothing else', () => {
    for (const name of ['good-v1.convlab.json', 'good-v2.convlab.json']) {
      const lab = open(name);
      expect(lab.net).toBeUndefined();
      expect(lab.layers.length).toBeGreaterThan(0);
      expect(serializeLab(lab)).not.toContain('"net"');
    }
  });

  test('floats survive base64 exactly, little-endian on every machine', () => {
    const values = Float32Array.from([0, -0, 1.5, -3.25e-8, 3.4e38, 1 / 3]);
    expect(decodeFloats(encodeFloats(values))).toEqual(values);
    expect(encodeFloats([1])).toBe('AACAPw=='); // 1.0f is 00 00 80 3F
  });

  test('the base64 loops agree with the platform\'s own base64 at every length, and NaN and infinities keep their bits', () => {
    const bits = Uint32Array.from([0x7fc00000, 0xff800000, 0x7f800000, 0x80000001, 0x7fffffff]);
    for (let n = 0; n <= 40; n++) {
      const values = new Float32Array(n).map((_, i) => Math.sin(i * 7.3) * 10 ** ((i % 9) - 4));
      values.set(new Float32Array(bits.buffer).subarray(0, Math.min(n, bits.length)));
      const text = encodeFloats(values);
      expect(text).toBe(Buffer.from(values.buffer).toString('base64'));
      expect(new Uint32Array(decodeFloats(text).slice().buffer)).toEqual(new Uint32Array(values.buffer));
    }
  });

  test('a long batch-loss series is decimated to every k-th batch', () => {
    const series = Array.from({ length: 12_000 }, (_, i) => i);
    const { values, stride } = decimate(series, 5000);
    expect(stride).toBe(3);
    expect(values.length).toBe(4000);
    expect(values.slice(0, 3)).toEqual([0, 3, 6]);
    expect(decimate([1, 2], 5000)).toEqual({ values: [1, 2], stride: 1 });
  });

  test('the book LeNet saved, written, opened: same weights, same prediction, a sane size', () => {
    const spec = lenetSpec();
    const params = initParams(spec, { seed: 3 });
    const lab = open('good-v2.convlab.json');
    const losses = Array.from({ length: 1175 }, (_, i) => 2.3 - i / 1000);
    const saved: Lab = { ...lab, net: saveNet(BOOK_NET_SETTINGS, params, { epochs: [], batchLosses: losses }) };
    const text = serializeLab(saved);
    // 44,426 float32s are 177,704 bytes, 236,940 base64 characters; the file stays under 300 KB.
    expect(text.length).toBeLessThan(300_000);
    const reopened = gateLabText(text);
    if (!reopened.ok) throw new Error(reopened.message);
    const loaded = savedNetParams(reopened.lab.net!);
    expect([...loaded.keys()]).toEqual([...params.keys()]);
    for (const [path, tensor] of params) expect(loaded.get(path)!.data).toEqual(tensor.data);
    const image = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 255) / 255);
    expect(predictImage(spec, loaded, image).probabilities).toEqual(predictImage(spec, params, image).probabilities);
    expect(reopened.lab.net!.history.batchLosses).toEqual(losses);
  });

  test('a lab whose net settings do not match its tensors is refused by name', () => {
    const lab = open('good-v3.convlab.json');
    const text = serializeLab({ ...lab, net: { ...lab.net!, settings: { ...lab.net!.settings, channels: [6, 16] } } });
    expect(gateLabText(text)).toEqual({ ok: false, message: 'lab.net.params[0]: parameter 0.weight has shape 2×1×5×5 but the network needs 6×1×5×5' });
  });

  test('a BN-LeNet saved under its former id bn-lenet opens as bn_lenet, its one id', () => {
    const settings = BOOK_SETTINGS.bn_lenet;
    const params = initParams(trainingNet(settings).spec, { seed: 1, movingVar: 0 });
    const saved = saveNet(settings, params, { epochs: [], batchLosses: [] });
    const text = serializeLab({ ...open('good-v2.convlab.json'), net: { ...saved, settings: { ...saved.settings, net: 'bn-lenet' as never } } });
    expect(text).toMatch(/"net": ?"bn-lenet"/);
    const reopened = gateLabText(text);
    if (!reopened.ok) throw new Error(reopened.message);
    expect(reopened.lab.net!.settings.net).toBe('bn_lenet');
  });
});
