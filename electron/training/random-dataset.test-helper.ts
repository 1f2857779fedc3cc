/**
 * For the engine's tests: a folder holding the four IDX files of a small random dataset (28×28 noise), test image i
 * labelled i % 10, so a test can tell which images a confusion cell or a prediction names; and such a set in memory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LabelledImages } from '../../core/data/idx';
import { mulberry32 } from '../../core/random';
import { DATASET_FILES } from '../services/dataset/dataset-files';

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return gzipSync(Buffer.concat([new Uint8Array(header.buffer), data]));
}

export async function randomDataset(sizes: { train: number; test: number }): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'convlab-net-'));
  for (const spec of DATASET_FILES) {
    const n = spec.role.startsWith('train') ? sizes.train : sizes.test;
    const bytes = spec.role.endsWith('Images')
      ? idx(0x803, [n, 28, 28], randomBytes(n * 784))
      : idx(0x801, [n], Uint8Array.from({ length: n }, (_, i) => i % 10));
    await writeFile(join(folder, spec.name), bytes);
  }
  return folder;
}

/** `n` seeded random 28×28 images with labels 0–9 in turn. */
export function randomImages(n: number, seed: number): LabelledImages {
  const next = mulberry32(seed);
  return {
    count: n, rows: 28, cols: 28,
    pixels: Uint8Array.from({ length: n * 784 }, () => Math.floor(256 * next())),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
  };
}
