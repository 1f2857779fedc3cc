import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gateLab, gateLabText, labDisplayName, LAB_FILE_VERSION, MAX_LAB_FILE_BYTES, serializeLab } from './lab-file';

const FIXTURES = join(import.meta.dirname, '../services/fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Every malformed file of the corpus, and the one message it must be refused with. */
const REFUSALS: Record<string, string> = {
  'bias-wrong-length': 'lab.layers[3].bias: has 2 values; it needs one per output channel (1)',
  'channel-chain-broken': 'lab.layers[3].inChannels: is 3, but the layer before gives 2',
  'channels-over-limit': 'lab.layers[0].outChannels: output channels must be at most 64',
  'constructor-key': 'lab.training.settings.constructor: the key "constructor" is not allowed in a lab file',
  'dilation-over-limit': 'lab.layers[0].dilation[1]: dilation (columns) must be at most 8',
  'flip-as-text': 'lab.layers[0].flip: flip must be true or false, not "yes"',
  'infinity-literal': 'lab.input.data[1]: input value must be a finite number',
  'input-channels-not-read': 'lab.layers[0].inChannels: is 2, but the input gives 3',
  'input-channels-wrong-length': 'lab.input.data: has 17 values; 2 channels of 3×3 need 18',
  'input-too-tall': 'lab.input.height: input height must be at most 512',
  'input-wrong-length': 'lab.input.data: has 19 values; a 4×5 image needs 20',
  'iterations-over-limit': 'lab.training.settings.iterations: iterations must be at most 100000',
  'kernel-too-large': 'lab.layers[0].kernelSize[0]: kernel size (rows) must be at most 11',
  'list-not-object': 'this is not a ConvLab lab file: it holds a list, not an object',
  'loss-as-text': 'lab.training.history.losses[1]: loss must be a number, not "12.25"',
  'missing-history': 'lab.training.history: is missing',
  'missing-input': 'lab.input: is missing',
  'missing-lab': 'lab is missing',
  'missing-type': 'this is not a ConvLab lab file: "type" is missing, expected "convlab"',
  'nan-as-text': 'lab.input.data[3]: input value must be a number, not "NaN"',
  'nan-written-as-null': 'lab.input.data[2]: input value must be a number, not null',
  'net-missing-tensor': 'lab.net.params: parameter 6.bias (shape 120) is missing',
  'net-nan': 'lab.net.params[1]: parameter 0.bias value 1 is NaN; weights must be finite numbers',
  'net-not-base64': 'lab.net.params[0].data: data must be base64 text (float32, little-endian)',
  'net-short-data': 'lab.net.params[0]: parameter 0.weight holds 195 bytes but its shape 2×1×5×5 needs 200 (50 float32 values)',
  'net-unknown-path': 'lab.net.params[3]: parameter 4.bias belongs to no layer of this LeNet',
  'net-wrong-shape': 'lab.net.params[2]: parameter 3.weight has shape 3×2×5×4 but the network needs 3×2×5×5',
  'negative-learning-rate': 'lab.training.settings.lr: learning rate must be positive',
  'newer-version': 'this lab was saved by a newer ConvLab (version 5); this version reads up to 4',
  'not-json': 'this file is not JSON (Unexpected end of JSON input)',
  'proto-key': 'lab.layers[1].__proto__: the key "__proto__" is not allowed in a lab file',
  'ragged-target-kernel': 'lab.training.settings.targetKernel: every row of the target kernel must be as long as the first',
  'start-weights-wrong-length': 'lab.training.settings.initWeight: has 3 values; a 1×2 kernel needs 2',
  'stride-zero': 'lab.layers[2].stride[0]: stride (rows) must be at least 1',
  'too-many-layers': 'lab.layers: a stack holds at most 16 layers',
  'unknown-activation': 'lab.layers[1].fn: activation must be relu, sigmoid or tanh, not "gelu"',
  'unknown-layer-kind': 'lab.layers[1].kind: layer kind must be "conv", "pool" or "act", not "dense"',
  'version-as-text': 'version must be a whole number from 1, not "1"',
  'version-fraction': 'version must be a whole number from 1, not 1.5',
  'weight-wrong-length': 'lab.layers[0].weight: has 9 values; 2×1×2×2 (output × input × rows × columns) needs 8',
  'wrong-type': 'this is not a ConvLab lab file: "type" is "photoshop", expected "convlab"',
};

describe('the corpus of malformed lab files', () => {
  const files = readdirSync(join(FIXTURES, 'bad')).filter((name) => name.endsWith('.json'));

  test('has at least 20 files, each with its own message', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files.map((name) => name.replace(/\.json$/, '')).sort()).toEqual(Object.keys(REFUSALS).sort());
    expect(new Set(Object.values(REFUSALS)).size).toBe(Object.keys(REFUSALS).length);
  });

  test.each(files)('%s is refused with a message that names the problem', (name) => {
    const result = gateLabText(read(`bad/${name}`));
    expect(result).toEqual({ ok: false, message: REFUSALS[name.replace(/\.json$/, '')] });
  });

  test('a __proto__ key pollutes nothing on its way to the refusal', () => {
    gateLabText(read('bad/proto-key.json'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('good files, one fixture per version', () => {
  const versions = readdirSync(FIXTURES).filter((name) => /^good-v\d+\.convlab\.json$/.test(name));

  test('there is a fixture for every version up to the current one', () => {
    expect(versions.map((name) => Number(/v(\d+)/.exec(name)![1])).sort()).toEqual(
      Array.from({ length: LAB_FILE_VERSION }, (_, i) => i + 1),
    );
  });

  test.each(versions)('%s is restored to the current version and survives a round trip', (name) => {
    const result = gateLabText(read(name));
    if (!result.ok) throw new Error(result.message);
    expect(result.version).toBe(Number(/v(\d+)/.exec(name)![1]));
    const again = gateLabText(serializeLab(result.lab));
    expect(again).toEqual({ ok: true, lab: result.lab, version: LAB_FILE_VERSION });
  });

  test('version 1 keeps every value: the input, the stack and the training', () => {
    const result = gateLabText(read('good-v1.convlab.json'));
    if (!result.ok) throw new Error(result.message);
    const { input, layers, training } = result.lab;
    expect(input).toMatchObject({ channels: 1, height: 4, width: 5 });
    expect(input.data.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(layers.map((layer) => layer.type)).toEqual(['conv2d', 'relu', 'avgpool', 'conv2d']);
    expect(layers[0]).toMatchObject({ flip: true, padding: [1, 0], bias: [0, 1] });
    expect(training.history.weights[1]).toEqual([0.5, -0.6]);
  });

  test('version 2 keeps an input of several channels, channel after channel', () => {
    const result = gateLabText(read('good-v2.convlab.json'));
    if (!result.ok) throw new Error(result.message);
    const { input, layers } = result.lab;
    expect(input).toMatchObject({ channels: 2, height: 3, width: 3 });
    expect(input.data.slice(9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(layers[0]).toMatchObject({ inChannels: 2, weight: [0, 1, 2, 3, 1, 2, 3, 4] });
  });

  test('version 4 names each layer by the layer table\'s kind, and older files are renamed to it', () => {
    const result = gateLabText(read('good-v4.convlab.json'));
    if (!result.ok) throw new Error(result.message);
    expect(result.lab.layers.map((layer) => layer.type)).toEqual(['conv2d', 'relu', 'maxpool', 'avgpool', 'conv2d', 'sigmoid', 'tanh']);
    expect(result.lab.layers[3]).toEqual({ type: 'avgpool', kernel: [2, 2], stride: [1, 1], padding: [1, 0], countIncludePad: false });
    expect(result.lab.layers[4]).toMatchObject({ inChannels: 1, outChannels: 2, kernel: [1, 1], weight: [0.5, -1], bias: [0.25, 0], flip: true });
    // Version 2's stack, restored: the same values under the table's names; a max pooling keeps no countIncludePad.
    const old = gateLabText(read('good-v2.convlab.json'));
    if (!old.ok) throw new Error(old.message);
    expect(old.lab.layers).toEqual(result.lab.layers.slice(0, 3));
  });

  test('a version-4 file naming a kind the lab does not run is refused by name', () => {
    const file = JSON.parse(read('good-v4.convlab.json')) as { lab: { layers: unknown[] } };
    file.lab.layers[1] = { type: 'dense' };
    expect(gateLab(file)).toEqual({ ok: false, message: 'lab.layers[1].type: layer type must be one of conv2d, maxpool, avgpool, relu, sigmoid, tanh, not "dense"' });
  });
});

describe('the gate and the writer', () => {
  const good = JSON.parse(read('good-v1.convlab.json')) as { lab: { layers: unknown[] } };

  test('unknown extra keys are dropped, not kept', () => {
    const result = gateLab({ ...good, comment: 'x', lab: { ...good.lab, extra: 1 } });
    expect(result.ok && 'extra' in result.lab).toBe(false);
  });

  test('a file above the size limit is refused before parsing', () => {
    const result = gateLabText(' '.repeat(MAX_LAB_FILE_BYTES + 1));
    expect(result).toEqual({ ok: false, message: 'this file is 96 MB; a lab file holds at most 96 MB' });
  });

  test('the text keeps each list of numbers on one line', () => {
    const result = gateLabText(read('good-v1.convlab.json'));
    if (!result.ok) throw new Error(result.message);
    const text = serializeLab(result.lab);
    expect(text.startsWith('{\n  "type": "convlab",\n  "version": 4,\n')).toBe(true);
    expect(text).toContain('"data": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0.5, -1, 1, 0.25, 0, 1, 1, 1, 0, 0]');
  });

  test('display names drop the folder and the extension', () => {
    expect(labDisplayName('/home/a/edges.convlab.json')).toBe('edges');
    expect(labDisplayName('C:\\labs\\week 1.convlab.json')).toBe('week 1');
    expect(labDisplayName('old.json')).toBe('old');
  });
});
