/**
 * The dataset's images for the page to show: a split is read once (through core's IDX reader) from the folder the
 * dataset service vouches for, kept while that folder stays in use, and served a bounded page at a time.
 */
import { join } from 'node:path';
import { pairIdx, readIdxImages, readIdxLabels, type LabelledImages } from '../../../core/data/idx';
import type { DatasetImages, DatasetSplit } from '../../contract/dataset-contract';
import { MAX_IMAGES_PER_PAGE } from '../../contract/dataset-contract';
import type { DatasetService } from './dataset';
import { DATASET_FILES, type DatasetFileSpec } from './dataset-files';
import { readPayload } from './dataset-verify';
import { ServiceError } from '../router';

/** ConvLab's networks take 28×28 inputs: any IDX pair of that size opens, whatever its source. */
export const DATASET_IMAGE_SIDE = 28;

const SPLIT_ROLES = {
  train: ['trainImages', 'trainLabels'],
  test: ['testImages', 'testLabels'],
} as const;

/** Reads one split's pair of files from a folder, refusing (by file and rule) anything but 28×28 images with labels. */
export async function readSplit(folder: string, split: DatasetSplit, files: readonly DatasetFileSpec[] = DATASET_FILES): Promise<LabelledImages> {
  const [imageSpec, labelSpec] = SPLIT_ROLES[split].map((role) => files.find((f) => f.role === role)!);
  try {
    const [imageBytes, labelBytes] = await Promise.all([readPayload(join(folder, imageSpec.name)), readPayload(join(folder, labelSpec.name))]);
    const images = readIdxImages(imageBytes, imageSpec.name);
    if (images.rows !== DATASET_IMAGE_SIDE || images.cols !== DATASET_IMAGE_SIDE) {
      throw new Error(`${imageSpec.name}: its images are ${images.rows}×${images.cols}, but ConvLab's networks take 28×28`);
    }
    return pairIdx(images, readIdxLabels(labelBytes, labelSpec.name), imageSpec.name, labelSpec.name);
  } catch (error) {
    // The reader's and the gzip check's messages already name the file and the rule.
    if (error instanceof ServiceError || (error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new ServiceError('bad-file', (error as Error).message);
  }
}

export interface DatasetImageStore {
  /** A page of images, of one class or of all, in the split's order. */
  page(request: { split: DatasetSplit; label?: number; offset: number; count: number }): Promise<DatasetImages>;
  /** One image by its index in the split. */
  image(request: { split: DatasetSplit; index: number }): Promise<DatasetImages>;
  /** The whole split, for training (the same copy the pages come from). */
  split(split: DatasetSplit): Promise<LabelledImages>;
}

export function createDatasetImageStore(dataset: DatasetService): DatasetImageStore {
  const loaded = new Map<string, Promise<LabelledImages>>();
  /** Indices of each class, per loaded split, so a class's page costs nothing after the first. */
  const byClass = new WeakMap<LabelledImages, Uint32Array[]>();

  async function split(which: DatasetSplit): Promise<LabelledImages> {
    const ready = await dataset.readyFolder();
    if (!ready) throw new ServiceError('bad-file', 'the dataset is not complete: open the Dataset tab to download it or choose its folder');
    const key = `${ready.folder}\u0000${which}`;
    let set = loaded.get(key);
    if (!set) {
      // One folder at a time: a new choice frees the old folder's images.
      for (const other of loaded.keys()) if (!other.startsWith(`${ready.folder}\u0000`)) loaded.delete(other);
      set = readSplit(ready.folder, which);
      loaded.set(key, set);
      set.catch(() => loaded.delete(key));
    }
    return set;
  }

  function classIndex(set: LabelledImages): Uint32Array[] {
    let index = byClass.get(set);
    if (!index) {
      const counts = new Uint32Array(10);
      for (let i = 0; i < set.count; i++) counts[set.labels[i]]++;
      index = Array.from(counts, (n) => new Uint32Array(n));
      const filled = new Uint32Array(10);
      for (let i = 0; i < set.count; i++) index[set.labels[i]][filled[set.labels[i]]++] = i;
      byClass.set(set, index);
    }
    return index;
  }

  function pack(set: LabelledImages, which: DatasetSplit, total: number, indices: number[]): DatasetImages {
    const size = set.rows * set.cols;
    const pixels = new Uint8Array(indices.length * size);
    indices.forEach((index, k) => pixels.set(set.pixels.subarray(index * size, (index + 1) * size), k * size));
    return { split: which, total, rows: set.rows, cols: set.cols, indices, labels: indices.map((i) => set.labels[i]), pixels };
  }

  return {
    split,
    async page({ split: which, label, offset, count }) {
      const set = await split(which);
      const pool = label === undefined ? null : classIndex(set)[label];
      const total = pool ? pool.length : set.count;
      const indices: number[] = [];
      for (let k = offset; k < Math.min(total, offset + Math.min(count, MAX_IMAGES_PER_PAGE)); k++) indices.push(pool ? pool[k] : k);
      return pack(set, which, total, indices);
    },
    async image({ split: which, index }) {
      const set = await split(which);
      if (index >= set.count) throw new ServiceError('invalid-request', `image ${index} is past the end of the ${which} set (${set.count} images)`);
      return pack(set, which, set.count, [index]);
    },
  };
}
