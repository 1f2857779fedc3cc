import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { gateLabText, serializeLab } from '../../../electron/contract/lab-file';
import { makeConv, makePool, makeActivation, imageFromRows } from './document';
import { float32Number, fromLab, toLab } from './lab-codec';
import { defaultTraining } from '../training/training-doc';

test('float32 values are written as the decimals a person typed', () => {
  expect(float32Number(Math.fround(0.1))).toBe(0.1);
  expect(float32Number(Math.fround(-0.07))).toBe(-0.07);
  expect(float32Number(Math.fround(1 / 3))).toBe(0.33333334);
  expect(Math.fround(float32Number(Math.fround(Math.PI)))).toBe(Math.fround(Math.PI));
});

test('a document survives the file: serialise, gate, restore, and every value is the same float32', () => {
  const conv = makeConv([[0.1, -0.2], [1 / 3, 4]], { flip: true, padding: [1, 0] });
  conv.bias[0] = 0.3;
  const doc = {
    input: imageFromRows([[0, 0.5, 1], [0.25, Math.PI, -1]]),
    layers: [conv, makeActivation('tanh'), makePool('avg')],
    training: defaultTraining(),
  };
  doc.training.history = { losses: [4.9, 0.8], weights: [[0.1, 0.2], [0.3, 0.4]], biases: [0, 0] };
  const gated = gateLabText(serializeLab(toLab(doc)));
  if (!gated.ok) throw new Error(gated.message);
  const back = fromLab(gated.lab);
  expect(back.input.data).toEqual(doc.input.data);
  expect(back.layers.map((l) => l.kind)).toEqual(['conv', 'act', 'pool']);
  const c = back.layers[0];
  if (c.kind !== 'conv') throw new Error('expected a convolution');
  expect(c.weight).toEqual(conv.weight);
  expect(c.bias).toEqual(conv.bias);
  expect(c).toMatchObject({ flip: true, padding: [1, 0], kernelSize: [2, 2] });
  expect(c.id).not.toBe(conv.id);
  expect(back.training).toEqual(doc.training);
});

test('a diverged run is kept up to its last finite step', () => {
  const doc = { input: imageFromRows([[1]]), layers: [], training: defaultTraining() };
  doc.training.history = { losses: [1, 2, Infinity], weights: [[1], [2], [NaN]], biases: [0, 0, 0], outcome: 'diverged' };
  const lab = toLab(doc);
  expect(lab.training.history).toEqual({ losses: [1, 2], weights: [[1], [2]], biases: [0, 0], outcome: 'diverged' });
  expect(gateLabText(serializeLab(lab)).ok).toBe(true);
});

test('the version-1 fixture opens as a document', () => {
  const text = readFileSync(join(import.meta.dirname, '../../../electron/services/fixtures/good-v1.convlab.json'), 'utf8');
  const gated = gateLabText(text);
  if (!gated.ok) throw new Error(gated.message);
  const doc = fromLab(gated.lab);
  expect([doc.input.height, doc.input.width]).toEqual([4, 5]);
  expect(doc.layers).toHaveLength(4);
});

test('a trained net kept with the lab goes through the document unchanged (version 3)', () => {
  const opened = gateLabText(readFileSync(join(import.meta.dirname, '../../../electron/services/fixtures/good-v3.convlab.json'), 'utf8'));
  if (!opened.ok) throw new Error(opened.message);
  const doc = fromLab(opened.lab);
  expect(doc.net).toEqual(opened.lab.net);
  const again = gateLabText(serializeLab(toLab(doc)));
  expect(again.ok && again.lab.net).toEqual(opened.lab.net);
});
