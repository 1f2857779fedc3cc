// Hand-off check: the exported script, run by Debian's PyTorch, prints ConvLab's probabilities within 1e-4.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lenetSpec } from '../../../core/nets/lenet';
import type { NetSettings } from '../../../electron/contract/net-contract';
import { initParams } from '../../../core/nets/params';
import { predictImage } from '../../../core/nets/predict-image';
import { gateLabText } from '../../../electron/contract/lab-file';
import { saveNet, savedNetParams, type SavedNet } from '../../../electron/contract/lab-file-v3';
import { BOOK_NET_SETTINGS } from '../../../electron/contract/net-contract';
import en from '../i18n/dataset/en';
import { lenetPytorchScript, type ScriptImage } from './lenet-pytorch-script';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.warn(`SKIPPED: the PyTorch hand-off of the LeNet export needs torch under ${PYTHON} (Debian: python3-torch)`);

/** Images with some structure (a bar, a blob, a gradient), so the classes' probabilities differ clearly. */
const IMAGES = [
  Float32Array.from({ length: 784 }, (_, i) => (Math.abs((i % 28) - 14) < 4 ? 0.9 : 0.05)),
  Float32Array.from({ length: 784 }, (_, i) => Math.exp(-(((i % 28) - 10) ** 2 + (Math.floor(i / 28) - 18) ** 2) / 40)),
  Float32Array.from({ length: 784 }, (_, i) => Math.floor(i / 28) / 27),
];

function scriptFor(net: SavedNet): { script: string; images: ScriptImage[] } {
  const { activation, pooling, channels } = net.settings;
  const spec = lenetSpec({ activation, pooling, channels: [...channels] });
  const params = savedNetParams(net);
  const images = IMAGES.map((pixels, i) => ({ pixels, label: i === 2 ? null : i, probabilities: Array.from(predictImage(spec, params, pixels).probabilities) }));
  return { script: lenetPytorchScript(net, images, en.classes), images };
}

/** The probabilities each image's "probabilities" line prints. */
function runScript(script: string): number[][] {
  const file = join(mkdtempSync(join(tmpdir(), 'convlab-lenet-py-')), 'lenet.py');
  writeFileSync(file, script);
  const out = execFileSync(PYTHON, [file], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return out.split('\n').filter((line) => line.trim().startsWith('probabilities')).map((line) => line.trim().split(/\s+/).slice(1).map(Number));
}

/** Xavier weights scaled up, so the net is far from uniform and a wrong layer would show. */
function boldNet(settings: NetSettings, seed: number): SavedNet {
  const spec = lenetSpec({ activation: settings.activation, pooling: settings.pooling, channels: [...settings.channels] });
  const params = initParams(spec, { seed });
  for (const t of params.values()) t.data.forEach((x, i) => (t.data[i] = x * 4 + 0.05));
  return saveNet(settings, params, { epochs: [], batchLosses: [] });
}

describe('export a trained LeNet as a PyTorch script', () => {
  test('the script names the layers, the settings and the embedded images', () => {
    const { script } = scriptFor(boldNet(BOOK_NET_SETTINGS, 1));
    expect(script).toContain('nn.Conv2d(1, 6, kernel_size=5),\n    nn.Sigmoid(),\n    nn.MaxPool2d(kernel_size=2, stride=2),');
    expect(script).toContain('nn.Linear(256, 120)');
    expect(script).toContain('WEIGHTS["7.weight"] = ([120,256], (');
    expect(script.match(/^IMAGES\.append/gm)).toHaveLength(3);
  });

  const nets: [string, () => SavedNet][] = [
    ['the book settings (sigmoid, max pooling)', () => boldNet(BOOK_NET_SETTINGS, 1)],
    ['ReLU with average pooling and 4/8 channels', () => boldNet({ ...BOOK_NET_SETTINGS, activation: 'relu', pooling: 'avg', channels: [4, 8] }, 2)],
    ['tanh', () => boldNet({ ...BOOK_NET_SETTINGS, activation: 'tanh' }, 3)],
    ['the version-3 fixture as opened from its lab file', () => {
      const lab = gateLabText(readFileSync(join(import.meta.dirname, '../../../electron/services/fixtures/good-v3.convlab.json'), 'utf8'));
      if (!lab.ok) throw new Error(lab.message);
      return lab.lab.net!;
    }],
  ];
  test.skipIf(!hasTorch).each(nets)('PyTorch prints ConvLab\'s probabilities within 1e-4: %s', (name, make) => {
    const { script, images } = scriptFor(make());
    const printed = runScript(script);
    expect(printed).toHaveLength(images.length);
    printed.forEach((row, i) => {
      expect(row).toHaveLength(10);
      row.forEach((p, c) => expect(Math.abs(p - images[i].probabilities[c])).toBeLessThan(1e-4));
    });
    // Not a uniform answer (the fixture is a fresh init, near uniform): the check would be weak if all were 0.1.
    if (!name.includes('fixture')) expect(Math.max(...images.flatMap((image) => image.probabilities))).toBeGreaterThan(0.2);
  });
});
