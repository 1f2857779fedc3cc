/**
 * What `npm run -s train -- --data DIR` trains on: the four IDX files when DIR holds them, else DIR as an image
 * folder (a subfolder per class), read by the app's folder reader at `--size N --colour grey|rgb` and cached, so
 * the CLI and the app read and refuse the same images.
 */
import { access } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import type { LabelledImages } from '../../core/data/idx';
import { DATASET_FILES } from '../services/dataset/dataset-files';
import { openFolderDataset, type FolderDataset } from '../services/dataset/folder-dataset';
import { createDecodePool } from '../services/dataset/image-decode-pool';
import type { ImageColour } from '../services/dataset/image-fit';
import { loadFashionMnist } from './fashion-mnist';

/** The app's data folder on Linux (Electron's userData for ConvLab), where the folder reader keeps its caches. */
export const DEFAULT_CACHE_DIR = join(homedir(), '.config', 'ConvLab', 'image-folders');

export interface FolderOptions { size: number; colour: ImageColour; cacheDir: string }

export interface TrainingData {
  train: LabelledImages;
  test: LabelledImages;
  /** What a pool of engine workers reads: the IDX folder, or the image folder's cache file. */
  source: string;
  /** The opened image folder, when it was one. */
  folder: FolderDataset | null;
}

/** Whether `dir` is meant as an IDX folder: it holds any of the four files (a missing one is then named). */
export async function holdsIdx(dir: string): Promise<boolean> {
  const found = await Promise.all(DATASET_FILES.map((spec) => access(join(dir, spec.name)).then(() => true, () => false)));
  return found.includes(true);
}

/** Opens `dir` as IDX files or as an image folder; progress lines go to `log` (stderr). */
export async function loadTrainingData(dir: string, folder: FolderOptions, log: (line: string) => void): Promise<TrainingData> {
  if (await holdsIdx(dir)) {
    const { train, test } = await loadFashionMnist(dir);
    return { train, test, source: dir, folder: null };
  }
  const decoder = () => createDecodePool(new URL('../services/dataset/image-decode-worker.ts', import.meta.url), { size: availableParallelism(), execArgv: ['--import', 'tsx'] });
  const started = performance.now();
  let shown = 0;
  const opened = await openFolderDataset({ folder: dir, size: folder.size, colour: folder.colour }, {
    decoder,
    cacheDir: folder.cacheDir,
    onProgress(event) {
      if (event.phase !== 'decoding' || performance.now() - shown < 2000) return;
      shown = performance.now();
      log(`decoding ${event.done}/${event.total} images, ${Math.ceil(event.secondsLeft ?? 0)} s left`);
    },
  });
  const { summary } = opened;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`${summary.folder}: ${summary.classes.length} classes, ${opened.train.count} training and ${opened.test.count} test images` +
    `${opened.cached ? ' (from the cache)' : ''} in ${seconds} s; ${summary.skipped.length} skipped`);
  for (const skipped of summary.skipped.slice(0, 20)) log(`  skipped ${skipped.path}: ${skipped.reason}`);
  if (summary.skipped.length > 20) log(`  … and ${summary.skipped.length - 20} more`);
  return { train: opened.train, test: opened.test, source: opened.cacheFile ?? dir, folder: opened };
}
