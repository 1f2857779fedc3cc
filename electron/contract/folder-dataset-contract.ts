/**
 * The image-folder dataset calls (open a folder of class subfolders, cancel the opening) and what they answer:
 * classes and their counts, one sample per class, the images skipped and why. Progress streams as 'folderDataset'
 * events. Kept beside the contract so contract.ts stays one table.
 */
import * as v from 'valibot';
import { whole } from './whole';

/** A file the reader skipped, by its path inside the folder, and the rule it broke. */
export interface SkippedImage { path: string; reason: string }

/** What an opened folder holds, as the page shows it and the cache keeps it. */
export interface FolderDatasetSummary {
  folder: string;
  /** Class names, from the class folders' names, sorted; a label is an index into it. */
  classes: string[];
  size: number;
  colour: 'grey' | 'rgb';
  fit: 'resize' | 'crop';
  /** Images of each class in each split. */
  counts: { train: number[]; test: number[] };
  /** 'folders': train/ and test/ (or val/) came with the data; else the seeded split and its test fraction. */
  split: { kind: 'folders' } | { kind: 'seeded'; seed: number; testFraction: number };
  /** Per channel, over the training split, in [0, 1] units; `given` when the request brought them. */
  mean: number[];
  std: number[];
  statsGiven: boolean;
  skipped: SkippedImage[];
}

/** The answer to an opening: the summary, and one sample per class (its pixels, channel-planar, size×size each). */
export interface FolderDatasetOpened {
  /** The summary, its skipped list cut to the first MAX_SKIPPED_SHOWN (`skippedTotal` counts them all). */
  summary: FolderDatasetSummary;
  skippedTotal: number;
  /** Whether it came from the cache. */
  cached: boolean;
  /** One image of each of the first `sampleClasses` classes (the first of its training split), back to back. */
  samples: Uint8Array;
  sampleClasses: number;
}

/** An opening's progress: images found while scanning (no total yet), then images decoded of all, and time left. */
export interface FolderDatasetEvent { kind: 'progress'; phase: 'scanning' | 'decoding'; done: number; total: number | null; secondsLeft: number | null }

/** The most skipped files one answer lists, and the most bytes of samples it carries: answers stay small. */
export const MAX_SKIPPED_SHOWN = 1000;
export const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;

/** The largest side a folder's images are fitted to (ImageNet's 224 and some room). */
export const MAX_FOLDER_IMAGE_SIZE = 256;

const unit = v.pipe(v.number('a mean or std must be a number'), v.finite('a mean or std must be finite'), v.minValue(0, 'a mean or std must be at least 0'), v.maxValue(1, 'a mean or std must be at most 1'));
const perChannel = v.pipe(v.array(unit, 'mean and std must be lists of numbers'), v.minLength(1, 'mean and std need one value per channel'), v.maxLength(3, 'mean and std hold at most 3 values (R, G, B)'));

export const FolderDatasetOpenRequest = v.object({
  /** Absolute path of the folder (the page has it from the host's folder dialog, or the user typed it). */
  folder: v.pipe(v.string('a folder must be text'), v.minLength(1, 'a folder cannot be empty'), v.maxLength(4096, 'a folder path holds at most 4096 characters')),
  size: whole(1, MAX_FOLDER_IMAGE_SIZE, 'size'),
  colour: v.picklist(['grey', 'rgb'], 'colour must be "grey" or "rgb"'),
  fit: v.optional(v.picklist(['resize', 'crop'], 'fit must be "resize" or "crop"')),
  /** The test split's share in a folder without train/ and test/ (0.2 unless given). */
  testFraction: v.optional(v.pipe(v.number('testFraction must be a number'), v.minValue(0.01, 'testFraction must be at least 0.01'), v.maxValue(0.9, 'testFraction must be at most 0.9'))),
  seed: v.optional(whole(0, 2 ** 31 - 1, 'seed')),
  mean: v.optional(perChannel),
  std: v.optional(perChannel),
});
export type FolderDatasetOpenRequest = v.InferOutput<typeof FolderDatasetOpenRequest>;
