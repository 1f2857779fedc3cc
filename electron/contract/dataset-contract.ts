/**
 * The dataset calls' requests and answers (status, choosing a folder, downloading, images to show), kept beside the
 * contract so contract.ts stays one table. Images cross as raw bytes (one byte a pixel), a bounded page at a time.
 */
import * as v from 'valibot';
import { whole } from './whole';

export type DatasetSource = 'user' | 'app' | 'system';
export type DatasetRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface DatasetFileStatus {
  name: string;
  role: DatasetRole;
  /** verified: Fashion-MNIST's official payload; other: another IDX file in a folder the user picked. */
  state: 'verified' | 'other' | 'bad' | 'missing';
  /** The file's size on disk. */
  bytes?: number;
  /** Why a bad file cannot be used. */
  message?: string;
}
export interface DatasetStatus {
  /** Where the files are read from (shown to the user; never sent back). */
  folder: string;
  source: DatasetSource;
  /** All four files are present and usable. */
  ready: boolean;
  /** All four are Fashion-MNIST's official payloads (so its class names apply). */
  fashion: boolean;
  files: DatasetFileStatus[];
  downloading: boolean;
}
export type DatasetEvent =
  | { kind: 'progress'; file: string; fileIndex: number; fileCount: number; received: number; total: number | null }
  | { kind: 'done'; message: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

/** A page of images: their indices in the split, their labels, and their pixels back to back (rows·cols each). */
export interface DatasetImages {
  split: DatasetSplit;
  /** How many images match (all of the split, or those of the class asked for). */
  total: number;
  rows: number;
  cols: number;
  indices: number[];
  labels: number[];
  pixels: Uint8Array;
}
export type DatasetSplit = 'train' | 'test';

/** The most images one call returns: a page of the grid (64·784 bytes ≈ 50 KB). */
export const MAX_IMAGES_PER_PAGE = 64;

const split = v.picklist(['train', 'test'], 'split must be "train" or "test"');

export const DatasetFolderRequest = v.object({
  /** Only the browser host reads it (it has no folder dialog); Electron always asks through its own dialog. */
  typedPath: v.optional(v.pipe(v.string('a folder must be text'), v.minLength(1, 'a folder cannot be empty'), v.maxLength(4096, 'a folder path holds at most 4096 characters'))),
});
export const DatasetCancelRequest = v.object({ discard: v.boolean('discard must be true or false') });
export const DatasetImagesRequest = v.object({
  split,
  /** Only images of this class; absent for every class. */
  label: v.optional(whole(0, 9, 'class')),
  offset: whole(0, 10_000_000, 'offset'),
  count: whole(1, MAX_IMAGES_PER_PAGE, 'count'),
});
export const DatasetImageRequest = v.object({ split, index: whole(0, 10_000_000, 'index') });
