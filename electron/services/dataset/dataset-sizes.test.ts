// Dataset files are checked by size before they are read and streamed after: a file larger than its header promises
// or than its format allows, a folder in a file's place, and labels that disagree with their images are refused by
// the file's name, in the status and when a split is read for training.
import { appendFile, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createDatasetService } from './dataset';
import { readSplit } from './dataset-images';
import { randomDataset } from '../../training/random-dataset.test-helper';

const LABELS = 't10k-labels-idx1-ubyte.gz';

/** A folder the user picked holding a small random dataset, and the service's view of it. */
async function picked() {
  const folder = await randomDataset({ train: 60, test: 40 });
  const service = await createDatasetService({
    appFolder: join(folder, 'app'),
    systemFolder: join(folder, 'no-system-copy'),
    statePath: join(folder, 'state.json'),
    chooseFolder: async (typed) => typed ?? null,
  });
  const status = async () => {
    const seen = await service.chooseFolder(folder);
    return { ready: seen!.ready, labels: seen!.files.find((f) => f.name === LABELS)! };
  };
  return { folder, status, readyFolder: () => service.readyFolder() };
}

describe('dataset files checked by size before they are read', () => {
  test('a label file followed by a 1.5 GiB zero tail is refused by name before a byte is read, in the status and for training', async () => {
    const { folder, status, readyFolder } = await picked();
    const path = join(folder, LABELS);
    // Sparse: the tail takes no disk, but the file says it is 1.5 GiB long.
    await truncate(path, 1.5 * 1024 ** 3);
    const started = performance.now();
    const seen = await status();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(seen.ready).toBe(false);
    expect(seen.labels).toMatchObject({ state: 'bad', message: expect.stringMatching(/^t10k-labels-idx1-ubyte\.gz is 1536\.0 MB, larger than a gzip of the most a dataset file holds \(128 MB of data\) can be$/) });
    expect(await readyFolder()).toBeNull();
    await expect(readSplit(folder, 'test')).rejects.toThrow(/^t10k-labels-idx1-ubyte\.gz is 1536\.0 MB/);
    await rm(folder, { recursive: true });
  });

  test('a smaller tail after the gzip data is refused too: nothing may follow it', async () => {
    const { folder, status } = await picked();
    await appendFile(join(folder, LABELS), new Uint8Array(1 << 20));
    const seen = await status();
    expect(seen.ready).toBe(false);
    expect(seen.labels.message).toMatch(/^t10k-labels-idx1-ubyte\.gz has 1048576 bytes after the end of its gzip data \(\d+ bytes\)$/);
    await expect(readSplit(folder, 'test')).rejects.toThrow(/^t10k-labels-idx1-ubyte\.gz has 1048576 bytes after the end of its gzip data/);
    await rm(folder, { recursive: true });
  });

  test('a payload longer than its IDX header promises stops as it streams, naming the file', async () => {
    const { folder, status } = await picked();
    const labels = new Uint8Array(8 + 40 + 4096);
    new DataView(labels.buffer).setUint32(0, 0x801);
    new DataView(labels.buffer).setUint32(4, 40);
    await writeFile(join(folder, LABELS), gzipSync(labels));
    expect((await status()).labels.message).toBe('t10k-labels-idx1-ubyte.gz decompresses to more than the 48 bytes its IDX header promises (40)');
    // A header that promises more than any dataset file holds is refused as soon as it arrives.
    new DataView(labels.buffer).setUint32(4, 2_000_000_000);
    await writeFile(join(folder, LABELS), gzipSync(labels));
    expect((await status()).labels.message).toBe('t10k-labels-idx1-ubyte.gz: its IDX header promises 2000000000 (2000000008 bytes), more than a dataset file holds (128 MB)');
    await rm(folder, { recursive: true });
  });

  test('a folder in place of a file is named, when the folder is chosen, in the status and for training', async () => {
    const { folder, status } = await picked();
    await status();
    await rm(join(folder, LABELS));
    await mkdir(join(folder, LABELS));
    await expect(status()).rejects.toThrow(`${folder}: t10k-labels-idx1-ubyte.gz is a folder, not a file`);
    const service = await createDatasetService({ appFolder: folder, systemFolder: join(folder, 'none'), statePath: join(folder, 'state.json'), chooseFolder: async () => null });
    expect((await service.status()).files.find((f) => f.name === LABELS)).toMatchObject({ state: 'bad', message: 't10k-labels-idx1-ubyte.gz is a folder, not a file' });
    await expect(readSplit(folder, 'test')).rejects.toThrow('t10k-labels-idx1-ubyte.gz is a folder, not a file');
    await rm(folder, { recursive: true });
  });

  test('a label file holding fewer labels than its images is not ready, naming both files', async () => {
    const { folder, status, readyFolder } = await picked();
    const labels = new Uint8Array(8 + 30);
    new DataView(labels.buffer).setUint32(0, 0x801);
    new DataView(labels.buffer).setUint32(4, 30);
    await writeFile(join(folder, LABELS), gzipSync(labels));
    const seen = await status();
    expect(seen.ready).toBe(false);
    expect(seen.labels).toMatchObject({ state: 'bad', message: 't10k-labels-idx1-ubyte.gz holds 30 labels but t10k-images-idx3-ubyte.gz holds 40 images' });
    expect(await readyFolder()).toBeNull();
    await rm(folder, { recursive: true });
  });
});
