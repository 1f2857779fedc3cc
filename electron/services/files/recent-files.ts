/** The recent lab files, newest first, kept in one JSON file in the data folder so the list survives restarts. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as v from 'valibot';
import type { RecentFile } from '../../contract/contract';
import { labDisplayName } from '../../contract/lab-file';
import { writeFileAtomic } from './atomic-write';

export const RECENT_LIMIT = 10;

export interface RecentFiles {
  /** The files that still exist, as the page sees them (an id, never a path). */
  list(): Promise<RecentFile[]>;
  /** The path behind an id from list(), or null. */
  pathOf(id: string): string | null;
  add(path: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/** A stable id for a path, so the page can name an entry without ever holding the path itself. */
const idOf = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, 16);

const exists = (path: string) => stat(path).then((s) => s.isFile(), () => false);

export async function createRecentFiles(file: string): Promise<RecentFiles> {
  let paths: string[] = [];
  try {
    const parsed = v.safeParse(v.array(v.string()), JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) paths = parsed.output.slice(0, RECENT_LIMIT);
  } catch {
    // first start, or a damaged list: begin with none (the lab files themselves are untouched)
  }
  async function store(next: string[]): Promise<void> {
    paths = next;
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(paths, null, 2));
  }
  return {
    async list() {
      const present = await Promise.all(paths.map(exists));
      return paths
        .filter((_, i) => present[i])
        .map((path) => ({ id: idOf(path), name: labDisplayName(basename(path)), folder: dirname(path) }));
    },
    pathOf: (id) => paths.find((path) => idOf(path) === id) ?? null,
    add: (path) => store([path, ...paths.filter((p) => p !== path)].slice(0, RECENT_LIMIT)),
    remove: (path) => store(paths.filter((p) => p !== path)),
  };
}
