// `npm run -s train -- --data DIR` on an image folder: a set written out as PNGs under train/ and test/ (the way
// idx-to-folder writes Fashion-MNIST) trains through the same engine, alone or on two workers, to the same lines.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomImages } from '../training/random-dataset.test-helper';
import { writeSplit, FASHION_FOLDERS } from './idx-to-folder';
import { openFolderDataset } from '../services/dataset/folder-dataset';
import { createDecodePool } from '../services/dataset/image-decode-pool';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'electron/cli/train.ts', ...args],
  { cwd: root, encoding: 'utf8' });

let dir = '', folder = '', cache = '';
const train = randomImages(120, 1), test = randomImages(30, 2);
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'convlab-train-folder-'));
  folder = path.join(dir, 'set');
  cache = path.join(dir, 'cache');
  await writeSplit(train, path.join(folder, 'train'));
  await writeSplit(test, path.join(folder, 'test'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The epoch lines without their time. */
const figures = (stdout: string) => stdout.trim().split('\n').map((l) => l.replace(/, time [\d.]+ sec$/, ''));

describe('an IDX set written out as an image folder', () => {
  it('reads back as the same images under the same labels, its classes named by the folders', async () => {
    const opened = await openFolderDataset({ folder, size: 28, colour: 'grey' }, { decoder: () => createDecodePool(new URL('../services/dataset/image-decode-worker.ts', import.meta.url), { size: 1, execArgv: ['--import', 'tsx'] }) });
    expect(opened.summary.classes).toEqual(FASHION_FOLDERS);
    expect(opened.summary.split).toEqual({ kind: 'folders' });
    // The folder lists images by class, then by index: image k of class c is the k-th of the IDX set labelled c.
    const byClass = (set: typeof train) => FASHION_FOLDERS.map((_, c) => Array.from({ length: set.count }, (_, i) => i).filter((i) => set.labels[i] === c)).flat();
    const order = byClass(train);
    for (const [k, i] of order.entries()) {
      expect(opened.train.labels[k]).toBe(train.labels[i]);
      expect(opened.train.pixels.subarray(k * 784, (k + 1) * 784)).toEqual(train.pixels.subarray(i * 784, (i + 1) * 784));
    }
  });
});

describe('npm run -s train -- --data FOLDER', () => {
  it('trains LeNet on the folder, alone and on two engine workers, to the same lines; the folder is summed up on stderr', () => {
    const args = ['--net', 'lenet', '--pooling', 'avg', '--epochs', '1', '--batch', '32', '--data', folder, '--cache', cache];
    const alone = run(...args), pooled = run(...args, '--workers', '2');
    expect([alone.status, pooled.status]).toEqual([0, 0]);
    expect(figures(alone.stdout)).toHaveLength(1);
    expect(figures(alone.stdout)[0]).toMatch(/^epoch 1, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/);
    expect(figures(pooled.stdout)).toEqual(figures(alone.stdout));
    expect(alone.stderr).toMatch(/: 10 classes, 120 training and 30 test images in [\d.]+ s; 0 skipped/);
    expect(pooled.stderr).toMatch(/\(from the cache\)/);
  }, 120_000);

  it('refuses --colour rgb for the networks trained here, a folder of one class, and a bad --size, training nothing', async () => {
    const rgb = run('--data', folder, '--colour', 'rgb', '--cache', cache);
    expect([rgb.status, rgb.stdout, rgb.stderr]).toEqual([1, '', 'train: --colour rgb: the networks trained here read one channel; use --colour grey\n']);
    const one = path.join(dir, 'one');
    await writeSplit({ ...test, labels: new Uint8Array(test.count) }, one);
    const single = run('--data', one, '--cache', cache);
    expect([single.status, single.stdout]).toEqual([1, '']);
    expect(single.stderr).toContain(`holds images of one class only (${FASHION_FOLDERS[0]}): a classifier needs at least two class folders`);
    const size = run('--data', folder, '--size', '0');
    expect([size.status, size.stderr]).toEqual([1, "train: --size must be a whole number from 1 to 256, got '0'\n"]);
  }, 120_000);
});
