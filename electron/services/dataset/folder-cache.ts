/**
 * The second opening of an image folder is a file read: its fitted pixels and labels, with the summary, kept in the
 * app's data folder under a key made of the folder's path, every image's path, size and modification time, and the
 * settings. Written beside its final name and renamed (atomic), so a crash never leaves half a cache to be trusted.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import type { LabelledImages } from '../../../core/data/idx';
import type { ScannedImage } from './folder-scan';

/** How a cache file is named, so a trainer knows it from an IDX folder. */
export const FOLDER_CACHE_EXTENSION = '.convlab-images';

/** The cache file's first bytes, and the version of its layout. */
const MAGIC = 'convlab-image-folder/1\n';

/** The key of a folder's images read with `settings`: any change to either gives another key. */
export function cacheKey(root: string, images: readonly ScannedImage[], settings: object): string {
  const hash = createHash('sha256').update(JSON.stringify({ root, settings }));
  for (const image of images) hash.update(`${image.path}\0${image.size}\0${image.mtimeMs}\0${image.label}\0${image.split}\n`);
  return hash.digest('hex').slice(0, 32);
}

export function cachePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}${FOLDER_CACHE_EXTENSION}`);
}

/** What a cache holds beside the pixels: any JSON-able summary. */
export interface CachedSets<S> { summary: S; train: LabelledImages; test: LabelledImages }

interface Layout { key: string; train: { count: number; rows: number; cols: number; bytes: number }; test: { count: number; rows: number; cols: number; bytes: number } }

/** Writes the sets under `key`, atomically. */
export async function writeCache<S>(cacheDir: string, key: string, sets: CachedSets<S>): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const shape = (s: LabelledImages) => ({ count: s.count, rows: s.rows, cols: s.cols, bytes: s.pixels.length });
  const layout: Layout = { key, train: shape(sets.train), test: shape(sets.test) };
  const head = Buffer.from(JSON.stringify({ layout, summary: sets.summary }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  // Part by part: the pixels are never copied into one more buffer for the sake of writing them.
  await writeFileAtomic(cachePath(cacheDir, key), [Buffer.from(MAGIC), length, head, sets.train.pixels, sets.train.labels, sets.test.pixels, sets.test.labels]);
  await pruneCaches(cacheDir);
}

/** The sets cached under `key`, or null when there is none or it does not read back whole. */
export async function readCache<S>(cacheDir: string, key: string): Promise<CachedSets<S> | null> {
  const found = await readCacheFile<S>(cachePath(cacheDir, key));
  if (found?.key !== key) return null;
  // Used now: the pruning keeps the caches used last, not those written last.
  const now = new Date();
  await utimes(cachePath(cacheDir, key), now, now).catch(() => undefined);
  return found;
}

/** Caches kept in the folder: every settings change of every folder writes one, so the oldest go. */
export const MAX_CACHES = 8;

/** Deletes all but the `keep` caches used last; answers how many went. */
export async function pruneCaches(cacheDir: string, keep = MAX_CACHES): Promise<number> {
  const names = (await readdir(cacheDir).catch(() => [] as string[])).filter((name) => name.endsWith(FOLDER_CACHE_EXTENSION));
  const dated = await Promise.all(names.map(async (name) => ({ name, used: (await stat(join(cacheDir, name)).catch(() => null))?.mtimeMs ?? 0 })));
  const old = dated.sort((a, b) => b.used - a.used).slice(keep);
  for (const { name } of old) await rm(join(cacheDir, name), { force: true });
  return old.length;
}

/** The sets of one cache file (and the key they were written under), or null when it does not read back whole. */
export async function readCacheFile<S>(path: string): Promise<(CachedSets<S> & { key: string }) | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null;
  }
  try {
    if (bytes.subarray(0, MAGIC.length).toString() !== MAGIC) return null;
    const headLength = bytes.readUInt32LE(MAGIC.length);
    let at = MAGIC.length + 4;
    const { layout, summary } = JSON.parse(bytes.subarray(at, at + headLength).toString()) as { layout: Layout; summary: S };
    at += headLength;
    const take = (n: number) => {
      const part = new Uint8Array(bytes.buffer, bytes.byteOffset + at, n);
      at += n;
      return part;
    };
    const set = (s: Layout['train']): LabelledImages => ({ count: s.count, rows: s.rows, cols: s.cols, pixels: take(s.bytes), labels: take(s.count) });
    const train = set(layout.train), test = set(layout.test);
    if (at !== bytes.length) return null;
    return { key: layout.key, summary, train, test };
  } catch {
    return null;
  }
}
