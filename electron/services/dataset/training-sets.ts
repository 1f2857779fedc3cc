/**
 * The training and test sets a trainer reads, from either kind of dataset: a folder of the four IDX files, or an
 * opened image folder's cache file (what the folder reader wrote), which holds the same typed arrays.
 */
import type { LabelledImages } from '../../../core/data/idx';
import { readSplit } from './dataset-images';
import { FOLDER_CACHE_EXTENSION, readCacheFile } from './folder-cache';
import { ServiceError } from '../router';

/** Both splits of the dataset at `source` (an IDX folder, or an image folder's cache file). */
export async function readTrainingSets(source: string): Promise<{ train: LabelledImages; test: LabelledImages }> {
  if (source.endsWith(FOLDER_CACHE_EXTENSION)) {
    const cached = await readCacheFile(source);
    if (!cached) throw new ServiceError('bad-file', `${source}: not a whole image-folder cache (open the folder again)`);
    return { train: cached.train, test: cached.test };
  }
  const [train, test] = await Promise.all([readSplit(source, 'train'), readSplit(source, 'test')]);
  return { train, test };
}
