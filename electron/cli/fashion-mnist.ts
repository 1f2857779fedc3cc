/** Reads the four Fashion-MNIST IDX files (.gz, or already unpacked) from a folder, through core's IDX reader. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pairIdx, readIdxImages, readIdxLabels, type LabelledImages } from '../../core/data/idx';

/** Debian's dataset-fashion-mnist package puts them here. */
export const DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The bytes of `name` in `dir`: `name.gz` unzipped, else `name` itself. Throws naming the missing file. */
function readIdxFile(dir: string, name: string): { bytes: Uint8Array; file: string } {
  const gz = path.join(dir, `${name}.gz`), raw = path.join(dir, name);
  if (existsSync(gz)) {
    try {
      return { bytes: new Uint8Array(gunzipSync(readFileSync(gz))), file: gz };
    } catch (e) {
      throw new Error(`${gz}: not a readable gzip file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
  }
  if (existsSync(raw)) return { bytes: new Uint8Array(readFileSync(raw)), file: raw };
  throw new Error(`${dir}: has neither ${name}.gz nor ${name}`);
}

function readSplit(dir: string, imagesName: string, labelsName: string): LabelledImages {
  const images = readIdxFile(dir, imagesName), labels = readIdxFile(dir, labelsName);
  return pairIdx(readIdxImages(images.bytes, images.file), readIdxLabels(labels.bytes, labels.file), images.file, labels.file);
}

/** The training and test sets from `dir`. */
export function loadFashionMnist(dir = DEFAULT_DATA_DIR): { train: LabelledImages; test: LabelledImages } {
  const f = FASHION_MNIST_FILES;
  return { train: readSplit(dir, f.trainImages, f.trainLabels), test: readSplit(dir, f.testImages, f.testLabels) };
}
