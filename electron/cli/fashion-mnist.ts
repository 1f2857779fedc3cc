/**
 * The Fashion-MNIST training and test sets for the terminal tools, read by the same reader the app's dataset service
 * uses (gzipped IDX files, 28×28 images), so the CLI and the app refuse the same bad files with the same messages.
 */
import type { LabelledImages } from '../../core/data/idx';
import { readSplit } from '../services/dataset/dataset-images';
import { SYSTEM_DATASET_FOLDER } from '../services/dataset/dataset-files';

/** Debian's dataset-fashion-mnist package puts them here. */
export const DEFAULT_DATA_DIR = SYSTEM_DATASET_FOLDER;

/** The training and test sets from `dir`; a missing file is named by its path. */
export async function loadFashionMnist(dir = DEFAULT_DATA_DIR): Promise<{ train: LabelledImages; test: LabelledImages }> {
  try {
    const [train, test] = await Promise.all([readSplit(dir, 'train'), readSplit(dir, 'test')]);
    return { train, test };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error(`${dir}: ${e.path ?? 'a dataset file'} is missing (the folder needs the four .gz IDX files)`, { cause: error });
    throw error;
  }
}
