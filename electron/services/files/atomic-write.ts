/**
 * Writes a file so that a reader (or a crash) sees either the old content or the new one, never half of each:
 * write a temporary file in the same folder, flush it to disk, then rename it over the target.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The writer's temporary files, and only them: `.<target name>.<12 lowercase hex digits>.tmp`. */
export const TEMP_FILE_PATTERN = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** A fresh temporary path beside `path`, in the writer's own pattern. */
export function tempPathFor(path: string): string {
  // Same folder, so the rename never crosses a file system (where it would stop being atomic).
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `data` (or its parts one after another, never joined into one more buffer) to `path`, atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', 0o644);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const part of data) await handle.write(part);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the temporary files a killed save left in `folder` (only files in the writer's own pattern) and answers
 * how many. Run at start, before this process saves anything, so no save of its own can be in progress.
 */
export async function sweepTempFiles(folder: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return 0; // a folder that is gone or unreadable has nothing of ours to sweep
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_FILE_PATTERN.test(entry.name)) continue;
    try {
      await rm(join(folder, entry.name));
      removed++;
    } catch {
      // another process removed it first, or it is not ours to remove: leave it
    }
  }
  return removed;
}
