import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { openFolderDataset, samplesPerClass, type OpenFolderOptions } from './folder-dataset';
import { createDecodePool } from './image-decode-pool';
import { MAX_CACHES } from './folder-cache';
import { encodePng } from './png-write';
import type { FolderDatasetOpenRequest } from '../../contract/folder-dataset-contract';

const workerFile = new URL('./image-decode-worker.ts', import.meta.url);
const decoder = () => createDecodePool(workerFile, { size: 1, execArgv: ['--import', 'tsx'] });
let dir: string;

const grey = (w: number, h: number, value: number) => encodePng({ width: w, height: h, colourType: 0, depth: 8, data: new Uint8Array(w * h).fill(value) });

function jpegOf(w: number, h: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([...rgb, 255], p * 4);
  return jpeg.encode({ width: w, height: h, data }, 95).data;
}

async function put(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, bytes);
}

function open(folder: string, extra: Partial<FolderDatasetOpenRequest> = {}, options: Partial<OpenFolderOptions> = {}) {
  return openFolderDataset({ folder, size: 4, colour: 'grey', ...extra }, { decoder, ...options });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convlab-folder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an image folder of every kind of image and every kind of bad file', () => {
  let root: string;
  beforeAll(async () => {
    root = join(dir, 'mixed');
    await put(join(root, 'bright/a.png'), grey(8, 8, 200));
    await put(join(root, 'bright/nested/deeper/b.PNG'), encodePng({ width: 2, height: 2, colourType: 2, depth: 8, data: new Uint8Array(12).fill(200) }));
    await put(join(root, 'bright/c.jpg'), jpegOf(16, 8, [200, 200, 200]));
    const sixteen = new Uint8Array(3 * 3 * 3 * 2);
    for (let i = 0; i < sixteen.length; i += 2) sixteen[i] = 200;
    await put(join(root, 'bright/d16.png'), encodePng({ width: 3, height: 3, colourType: 2, depth: 16, data: sixteen }));
    await put(join(root, 'dark/p.png'), encodePng({ width: 4, height: 4, colourType: 3, depth: 8, data: new Uint8Array(16), palette: new Uint8Array([10, 10, 10]) }));
    await put(join(root, 'dark/q.jpeg'), jpegOf(4, 4, [10, 10, 10]));
    await put(join(root, 'dark/truncated.png'), grey(8, 8, 10).subarray(0, 40));
    await put(join(root, 'dark/truncated.jpg'), jpegOf(32, 32, [10, 10, 10]).subarray(0, 300));
    await put(join(root, 'dark/text.png'), 'not an image at all');
    await put(join(root, 'dark/notes.txt'), 'a note');
    await put(join(root, 'dark/empty.png'), '');
    await put(join(root, 'dark/zero.png'), encodePng({ width: 0, height: 0, colourType: 0, depth: 8, data: new Uint8Array(0) }));
    const huge = grey(1, 1, 0);
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    await put(join(root, 'dark/huge.png'), huge);
    const cmyk = jpegOf(4, 4, [10, 10, 10]);
    cmyk[cmyk.indexOf(Buffer.from([0xff, 0xc0])) + 9] = 4;
    await put(join(root, 'dark/cmyk.jpg'), cmyk);
    await symlink('..', join(root, 'dark/loop'));
    await put(join(root, 'stray.png'), grey(2, 2, 0));
    await put(join(root, 'dark/locked.png'), grey(4, 4, 10));
    await chmod(join(root, 'dark/locked.png'), 0o000);
  });

  it('reads the good ones, fits them, and lists every bad one by name with its reason', async () => {
    const got = await open(root, { testFraction: 0.5 });
    const { summary } = got;
    expect(summary.classes).toEqual(['bright', 'dark']);
    expect(summary.split).toEqual({ kind: 'seeded', seed: 0, testFraction: 0.5 });
    const reasons = Object.fromEntries(summary.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['dark/truncated.png']).toMatch(/truncated/);
    expect(reasons['dark/truncated.jpg']).toMatch(/truncated|does not decode/);
    expect(reasons['dark/text.png']).toMatch(/not a PNG or JPEG/);
    expect(reasons['dark/notes.txt']).toMatch(/not named as a PNG or JPEG/);
    expect(reasons['dark/empty.png']).toMatch(/empty file/);
    expect(reasons['dark/zero.png']).toMatch(/0×0 pixels, which has no pixels/);
    expect(reasons['dark/huge.png']).toMatch(/20000×20000 pixels, above the limit/);
    expect(reasons['dark/cmyk.jpg']).toMatch(/CMYK/);
    expect(reasons['dark/loop']).toMatch(/loop/);
    expect(reasons['stray.png']).toMatch(/not inside a class folder/);
    if (process.getuid?.() !== 0) expect(reasons['dark/locked.png']).toMatch(/permission denied/);
    // bright: a, b (nested RGB), c (JPEG), d16 (16-bit); dark: p (palette), q (JPEG), and locked where root reads it.
    const total = got.train.count + got.test.count;
    expect(summary.counts.train[0] + summary.counts.test[0]).toBe(4);
    expect(total).toBe(process.getuid?.() === 0 ? 7 : 6);
    for (let i = 0; i < got.train.count; i++) {
      const pixels = got.train.pixels.subarray(i * 16, (i + 1) * 16);
      const expected = got.train.labels[i] === 0 ? 200 : 10;
      for (const v of pixels) expect(Math.abs(v - expected)).toBeLessThanOrEqual(2);
    }
    expect(got.train.rows).toBe(4);
    expect(summary.mean[0]).toBeGreaterThan(0.03);
    expect(samplesPerClass(got)).toHaveLength(2 * 16);
  });

  it('keeps colour as three planes when asked for RGB, and crops the centre square', async () => {
    const got = await open(root, { colour: 'rgb', size: 2, fit: 'crop' });
    expect(got.channels).toBe(3);
    expect(got.train.pixels.length).toBe(got.train.count * 12);
    expect(got.summary.mean).toHaveLength(3);
  });
});

describe('splits and refusals', () => {
  it('takes train/ and test/ (or val/) as the splits, and refuses a test class train/ lacks', async () => {
    for (const testName of ['test', 'val']) {
      const root = join(dir, `split-${testName}`);
      for (const c of ['cat', 'dog']) {
        for (let i = 0; i < 3; i++) await put(join(root, 'train', c, `${i}.png`), grey(4, 4, c === 'cat' ? 0 : 255));
        await put(join(root, testName, c, 'x.png'), grey(4, 4, 9));
      }
      await put(join(root, testName, 'bird/x.png'), grey(4, 4, 9));
      const got = await open(root);
      expect(got.summary.split).toEqual({ kind: 'folders' });
      expect(got.summary.counts).toEqual({ train: [3, 3], test: [1, 1] });
      expect(got.summary.skipped).toEqual([{ path: join(testName, 'bird'), reason: 'a class the train/ split does not have' }]);
    }
  });

  it('refuses a folder of one class, and one with no images, by name', async () => {
    const one = join(dir, 'one-class');
    await put(join(one, 'only/a.png'), grey(2, 2, 1));
    await expect(open(one)).rejects.toThrow(`${one} holds images of one class only (only)`);
    const none = join(dir, 'no-images');
    await put(join(none, 'a/readme.txt'), 'nothing');
    await expect(open(none)).rejects.toThrow(`${none} holds no PNG or JPEG images`);
    await expect(open(join(dir, 'absent'))).rejects.toThrow('does not exist');
  });

  it('refuses a mean without a std, or one for the wrong number of channels', async () => {
    await expect(open(join(dir, 'split-test'), { mean: [0.5] })).rejects.toThrow('mean and std are given together');
    await expect(open(join(dir, 'split-test'), { mean: [0.5, 0.5], std: [0.2, 0.2] })).rejects.toThrow('mean has 2 values, but grey images have 1 channel');
  });
});

describe('the cache and the cancel', () => {
  let root: string;
  beforeAll(async () => {
    root = join(dir, 'cached');
    for (const c of ['a', 'b']) for (let i = 0; i < 300; i++) await put(join(root, c, `${i}.png`), grey(6, 6, (i * 7) % 256));
  });

  it('answers the second opening from the cache, and reads again when a file changes', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await open(root, {}, { cacheDir });
    expect(first.cached).toBe(false);
    const second = await open(root, {}, { cacheDir });
    expect(second.cached).toBe(true);
    expect(second.summary).toEqual(first.summary);
    expect(Array.from(second.train.pixels)).toEqual(Array.from(first.train.pixels));
    expect(Array.from(second.test.labels)).toEqual(Array.from(first.test.labels));
    expect((await open(root, { size: 3 }, { cacheDir })).cached).toBe(false);
    await utimes(join(root, 'a/0.png'), new Date(), new Date(2020, 1, 1));
    expect((await open(root, {}, { cacheDir })).cached).toBe(false);
  });

  it('keeps only the caches used last', async () => {
    const cacheDir = join(dir, 'cache-pruned');
    const first = await open(root, { size: 1 }, { cacheDir });
    for (let size = 2; size <= MAX_CACHES + 2; size++) {
      await open(root, { size }, { cacheDir });
      // The first one, used again each time, stays.
      if (size === MAX_CACHES) expect((await open(root, { size: 1 }, { cacheDir })).cacheFile).toBe(first.cacheFile);
    }
    const kept = await readdir(cacheDir);
    expect(kept).toHaveLength(MAX_CACHES);
    expect(kept).toContain(first.cacheFile!.split('/').at(-1));
  });

  it('reports progress with counts and time left, and stops when cancelled', async () => {
    const events: { phase: string; done: number; total: number | null; secondsLeft: number | null }[] = [];
    await open(root, { size: 5 }, { onProgress: (e) => events.push(e) });
    const decoding = events.filter((e) => e.phase === 'decoding');
    expect(decoding.at(-1)).toMatchObject({ done: 600, total: 600, secondsLeft: 0 });
    expect(events[0].phase).toBe('scanning');
    const controller = new AbortController();
    const cancelled = open(root, { size: 7 }, { signal: controller.signal, onProgress: (e) => e.phase === 'decoding' && controller.abort() });
    await expect(cancelled).rejects.toThrow('was cancelled');
  });
});
