// One copy of a dataset in shared memory for every run that uses it, read once, dropped when the last run gives it
// back (100 runs each copying it took the host from 95 to 5,590 MiB).
import { describe, expect, test } from 'vitest';
import { createSharedDatasets, inSharedMemory, isShared } from './shared-datasets';
import { randomImages } from './random-dataset.test-helper';

describe('shared datasets', () => {
  test('runs of one folder share one copy in shared memory, read once', async () => {
    let reads = 0;
    const datasets = createSharedDatasets(async () => (reads++, { train: randomImages(50, 1), test: randomImages(20, 2) }), 0);
    const [a, b] = await Promise.all([datasets.acquire('/data'), datasets.acquire('/data')]);
    expect(reads).toBe(1);
    expect(a.train.pixels).toBe(b.train.pixels);
    expect(isShared(a.train) && isShared(a.test)).toBe(true);
    a.release();
    a.release();
    expect(datasets.folders()).toEqual(['/data']);
    b.release();
    expect(datasets.folders()).toEqual([]);
    const c = await datasets.acquire('/data');
    expect(reads).toBe(2);
    c.release();
  });

  test('a released copy lingers for the next run, then goes', async () => {
    let reads = 0;
    const datasets = createSharedDatasets(async () => (reads++, { train: randomImages(10, 1), test: randomImages(10, 2) }), 30);
    (await datasets.acquire('/data')).release();
    (await datasets.acquire('/data')).release();
    expect(reads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(datasets.folders()).toEqual([]);
  });

  test('a folder that cannot be read is not kept: the next run reads it again', async () => {
    let reads = 0;
    const datasets = createSharedDatasets(async () => {
      reads++;
      throw new Error('t10k-labels-idx1-ubyte.gz: not found');
    });
    await expect(datasets.acquire('/data')).rejects.toThrow('t10k-labels-idx1-ubyte.gz: not found');
    await expect(datasets.acquire('/data')).rejects.toThrow();
    expect(reads).toBe(2);
    expect(datasets.folders()).toEqual([]);
  });

  test('a set already in shared memory is used as it is; another is copied once', () => {
    const set = randomImages(5, 3);
    expect(isShared(set)).toBe(false);
    const shared = inSharedMemory(set);
    expect(isShared(shared)).toBe(true);
    expect(Array.from(shared.pixels)).toEqual(Array.from(set.pixels));
    expect(inSharedMemory(shared)).toBe(shared);
  });
});
