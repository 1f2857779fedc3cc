/**
 * The image-folder dataset service the contract's calls reach: one opening at a time (progress reported, cancel
 * honoured), the last opened folder kept for whoever trains on or shows it, caches in the app's data folder. No
 * Electron inside: main and the browser host bind the same object.
 */
import type { FolderDatasetEvent, FolderDatasetOpened, FolderDatasetOpenRequest } from '../../contract/folder-dataset-contract';
import { MAX_SAMPLE_BYTES, MAX_SKIPPED_SHOWN } from '../../contract/folder-dataset-contract';
import { ServiceError } from '../router';
import { openFolderDataset, samplesPerClass, type FolderDataset } from './folder-dataset';
import type { DecodePool } from './image-decode-pool';

export interface FolderDatasetServiceOptions {
  /** Where caches are written (the app's data folder). */
  cacheDir: string;
  /** Starts the decode threads for one opening. */
  decoder: () => DecodePool;
}

export interface FolderDatasetService {
  /** Opens a folder, reporting progress; refuses while another opening runs. */
  open(request: FolderDatasetOpenRequest, onProgress: (event: FolderDatasetEvent) => void): Promise<FolderDatasetOpened>;
  /** Stops the opening under way (it then answers 'cancelled'); nothing when none runs. */
  cancel(): Promise<void>;
  /** The folder opened last, or null. */
  current(): FolderDataset | null;
}

/** The answer the page gets: the summary with a bounded list of skipped files, and samples that fit the bound. */
export function openedAnswer(dataset: FolderDataset): FolderDatasetOpened {
  const { summary } = dataset;
  const perImage = dataset.channels * summary.size * summary.size;
  const sampleClasses = Math.min(summary.classes.length, Math.floor(MAX_SAMPLE_BYTES / perImage));
  return {
    summary: { ...summary, skipped: summary.skipped.slice(0, MAX_SKIPPED_SHOWN) },
    skippedTotal: summary.skipped.length,
    cached: dataset.cached,
    samples: samplesPerClass(dataset).subarray(0, sampleClasses * perImage),
    sampleClasses,
  };
}

export function createFolderDatasetService(options: FolderDatasetServiceOptions): FolderDatasetService {
  let running: { controller: AbortController; done: Promise<unknown> } | null = null;
  let last: FolderDataset | null = null;
  return {
    async open(request, onProgress) {
      if (running) throw new ServiceError('busy', 'an image folder is being opened: cancel it or wait for it');
      const controller = new AbortController();
      const opening = openFolderDataset(request, { cacheDir: options.cacheDir, decoder: options.decoder, signal: controller.signal, onProgress });
      running = { controller, done: opening.catch(() => undefined) };
      try {
        last = await opening;
        return openedAnswer(last);
      } finally {
        running = null;
      }
    },
    async cancel() {
      const now = running;
      if (!now) return;
      now.controller.abort();
      await now.done;
    },
    current: () => last,
  };
}
