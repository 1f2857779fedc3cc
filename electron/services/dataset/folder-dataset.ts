/**
 * Opens an image-folder dataset: scans it (main side, names and sizes only), answers from the cache when nothing
 * changed, else decodes and fits every image in the decode threads, streaming batches into two preallocated byte
 * arrays (train and test) shaped as the IDX reader's, so every trainer reads either. Progress with counts and time
 * left, a cancel, and every skipped file listed with its reason; a folder with fewer than two classes of images,
 * or none, is refused by name.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { mulberry32 } from '../../../core/random';
import type { LabelledImages } from '../../../core/data/idx';
import { ServiceError } from '../router';
import type { FolderDatasetEvent, FolderDatasetOpenRequest, FolderDatasetSummary, SkippedImage } from '../../contract/folder-dataset-contract';
import { cacheKey, cachePath, readCache, writeCache } from './folder-cache';
import { scanImageFolder, type ScannedImage } from './folder-scan';
import type { DecodePool } from './image-decode-pool';
import { fittedBytes, type FitSettings } from './image-fit';
import { channelStats } from './image-stats';

/** Images per message to a decode thread: large enough that messages cost little, small enough to share work. */
const BATCH = 256;
/** Most classes: a label is one byte, as in the IDX files. */
export const MAX_CLASSES = 256;
/** Most bytes of fitted pixels one dataset may take in memory (100,000 images of 3×64×64 fit). */
export const MAX_DATASET_BYTES = 1536 * 1024 * 1024;
export const DEFAULT_TEST_FRACTION = 0.2;

export interface FolderDataset {
  summary: FolderDatasetSummary;
  /** Images of `channels`×size×size bytes each, channel-planar; rows and cols are the size. */
  train: LabelledImages;
  test: LabelledImages;
  channels: number;
  cached: boolean;
  /** The cache file it was read from or written to (what a pool of engine workers reads); null without a cache. */
  cacheFile: string | null;
}

export interface OpenFolderOptions {
  /** Where caches are kept (the app's data folder); none when absent. */
  cacheDir?: string;
  /** The decode threads; created by the caller, which closes them. */
  decoder: () => DecodePool;
  signal?: AbortSignal;
  onProgress?: (event: FolderDatasetEvent) => void;
  now?: () => number;
}

function refuse(message: string): never {
  throw new ServiceError('bad-file', message);
}

/** Assigns each scanned image to a split: its folder's, or a seeded per-class draw of `testFraction` of it. */
function assignSplits(images: ScannedImage[], classes: number, testFraction: number, seed: number): Uint8Array {
  const isTest = new Uint8Array(images.length);
  if (images.some((image) => image.split !== null)) {
    for (const [i, image] of images.entries()) isTest[i] = image.split === 'test' ? 1 : 0;
    return isTest;
  }
  const random = mulberry32(seed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const [i, image] of images.entries()) byClass[image.label].push(i);
  // Per class, so every class is in both splits in the same proportion (a stratified split).
  for (const members of byClass) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    const take = Math.round(members.length * testFraction);
    for (const i of members.slice(0, take)) isTest[i] = 1;
  }
  return isTest;
}

/** Keeps only the images that decoded, moving later ones down over the gaps. */
function compact(pixels: Uint8Array, labels: Uint8Array, ok: Uint8Array, bytes: number, rows: number): LabelledImages {
  let kept = 0;
  for (let i = 0; i < ok.length; i++) {
    if (!ok[i]) continue;
    if (kept !== i) {
      pixels.copyWithin(kept * bytes, i * bytes, (i + 1) * bytes);
      labels[kept] = labels[i];
    }
    kept++;
  }
  return { count: kept, rows, cols: rows, pixels: pixels.subarray(0, kept * bytes), labels: labels.subarray(0, kept) };
}

function countsOf(set: LabelledImages, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of set.labels) counts[label]++;
  return counts;
}

/** Opens `request.folder` as an image-folder dataset. */
export async function openFolderDataset(request: FolderDatasetOpenRequest, options: OpenFolderOptions): Promise<FolderDataset> {
  const now = options.now ?? (() => performance.now());
  const root = await realpath(resolve(request.folder)).catch(() => refuse(`${request.folder} does not exist`));
  if (!(await stat(root)).isDirectory()) refuse(`${request.folder} is not a folder`);
  const fit: FitSettings = { size: request.size, colour: request.colour, fit: request.fit ?? 'resize' };
  const testFraction = request.testFraction ?? DEFAULT_TEST_FRACTION, seed = request.seed ?? 0;
  const channels = fit.colour === 'grey' ? 1 : 3;
  if ((request.mean === undefined) !== (request.std === undefined)) refuse('mean and std are given together or not at all');
  for (const [name, values] of [['mean', request.mean], ['std', request.std]] as const) {
    if (values && values.length !== channels) refuse(`${name} has ${values.length} values, but ${fit.colour} images have ${channels} channel${channels === 1 ? '' : 's'}`);
  }
  if (request.std?.some((s) => s === 0)) refuse('std must be above 0 for every channel');

  options.onProgress?.({ kind: 'progress', phase: 'scanning', done: 0, total: null, secondsLeft: null });
  const scan = await scanImageFolder(root, {
    signal: options.signal,
    onCount: (done) => options.onProgress?.({ kind: 'progress', phase: 'scanning', done, total: null, secondsLeft: null }),
  });
  if (options.signal?.aborted) throw new ServiceError('cancelled', `opening ${root} was cancelled`);
  if (scan.images.length === 0) refuse(`${root} holds no PNG or JPEG images in class subfolders (one folder per class, e.g. cat/1.png)`);
  const used = new Set(scan.images.map((image) => image.label));
  if (used.size < 2) refuse(`${root} holds images of one class only (${scan.classes[scan.images[0].label]}): a classifier needs at least two class folders`);
  if (scan.classes.length > MAX_CLASSES) refuse(`${root} has ${scan.classes.length} class folders, above the limit of ${MAX_CLASSES}`);
  const bytes = fittedBytes(fit);
  if (scan.images.length * bytes > MAX_DATASET_BYTES) {
    refuse(`${root}: ${scan.images.length} images of ${channels}×${fit.size}×${fit.size} would take ${Math.ceil(scan.images.length * bytes / 2 ** 20)} MB, above the limit of ${MAX_DATASET_BYTES / 2 ** 20} MB: choose a smaller size or grey`);
  }

  const settings = { ...fit, testFraction: scan.splits ? null : testFraction, seed: scan.splits ? null : seed, mean: request.mean ?? null, std: request.std ?? null };
  const key = cacheKey(root, scan.images, settings);
  if (options.cacheDir) {
    const hit = await readCache<FolderDatasetSummary>(options.cacheDir, key);
    if (hit) return { summary: hit.summary, train: hit.train, test: hit.test, channels, cached: true, cacheFile: cachePath(options.cacheDir, key) };
  }

  const isTest = assignSplits(scan.images, scan.classes.length, testFraction, seed);
  const testCount = isTest.reduce((s, t) => s + t, 0), trainCount = scan.images.length - testCount;
  const sets = [trainCount, testCount].map((n) => ({ pixels: new Uint8Array(n * bytes), labels: new Uint8Array(n), ok: new Uint8Array(n), paths: [] as string[] }));
  for (const [i, image] of scan.images.entries()) {
    const set = sets[isTest[i]];
    set.labels[set.paths.length] = image.label;
    set.paths.push(image.path);
  }

  const skipped: SkippedImage[] = [...scan.skipped];
  const started = now();
  let done = 0;
  const pool = options.decoder();
  try {
    const jobs: Promise<void>[] = [];
    for (const set of sets) {
      for (let from = 0; from < set.paths.length; from += BATCH) {
        const paths = set.paths.slice(from, from + BATCH);
        jobs.push(pool.decode({ root, paths, settings: fit }).then((reply) => {
          if (options.signal?.aborted) return;
          set.pixels.set(reply.pixels, from * bytes);
          for (const [i, reason] of reply.refusals.entries()) {
            if (reason === null) set.ok[from + i] = 1;
            else skipped.push({ path: paths[i], reason });
          }
          done += paths.length;
          const elapsed = (now() - started) / 1000, total = scan.images.length;
          options.onProgress?.({ kind: 'progress', phase: 'decoding', done, total, secondsLeft: done > 0 ? (elapsed / done) * (total - done) : null });
        }));
      }
    }
    const aborted = new Promise<never>((_, reject) => {
      options.signal?.addEventListener('abort', () => reject(new ServiceError('cancelled', `opening ${root} was cancelled`)), { once: true });
    });
    if (options.signal?.aborted) throw new ServiceError('cancelled', `opening ${root} was cancelled`);
    await Promise.race([Promise.all(jobs), aborted]);
  } finally {
    await pool.close();
  }

  const [train, test] = sets.map((set) => compact(set.pixels, set.labels, set.ok, bytes, fit.size));
  const trainCounts = countsOf(train, scan.classes.length);
  if (trainCounts.filter((c) => c > 0).length < 2) refuse(`${root}: fewer than two classes have a training image that decodes (${skipped.length} files skipped)`);
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const stats = request.mean && request.std ? { mean: request.mean, std: request.std } : channelStats(train, channels);
  const summary: FolderDatasetSummary = {
    folder: root,
    classes: scan.classes,
    size: fit.size,
    colour: fit.colour,
    fit: fit.fit,
    counts: { train: trainCounts, test: countsOf(test, scan.classes.length) },
    split: scan.splits ? { kind: 'folders' } : { kind: 'seeded', seed, testFraction },
    mean: stats.mean,
    std: stats.std,
    statsGiven: request.mean !== undefined,
    skipped,
  };
  if (options.cacheDir) await writeCache(options.cacheDir, key, { summary, train, test });
  return { summary, train, test, channels, cached: false, cacheFile: options.cacheDir ? cachePath(options.cacheDir, key) : null };
}

/** The first training image of each class, back to back (a class without one left zero): the page's samples. */
export function samplesPerClass(dataset: FolderDataset): Uint8Array {
  const bytes = dataset.train.pixels.length / Math.max(1, dataset.train.count);
  const out = new Uint8Array(dataset.summary.classes.length * bytes);
  const seen = new Set<number>();
  for (let i = 0; i < dataset.train.count && seen.size < dataset.summary.classes.length; i++) {
    const label = dataset.train.labels[i];
    if (seen.has(label)) continue;
    seen.add(label);
    out.set(dataset.train.pixels.subarray(i * bytes, (i + 1) * bytes), label * bytes);
  }
  return out;
}
