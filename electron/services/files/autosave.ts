/**
 * Autosave and crash recovery. While the lab has unsaved changes the page sends it here every few seconds; once it
 * is saved or the user discards it, the autosave is deleted. So an autosave found at start means the last session
 * ended with unsaved work nobody decided about — a crash — and it is kept aside as the recovery until the user
 * restores or discards it (new autosaves never overwrite it).
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import type { RecoveryInfo } from '../../contract/contract';
import { writeFileAtomic } from './atomic-write';

const Snapshot = v.object({ savedAt: v.number(), name: v.nullable(v.string()), path: v.nullable(v.string()), text: v.string() });
export type Snapshot = v.InferOutput<typeof Snapshot>;

export interface Autosave {
  /** Keeps the lab's text (and the file it belongs to, if any) until it is saved or discarded. */
  write(snapshot: Omit<Snapshot, 'savedAt'>): Promise<void>;
  /** Nothing is unsaved any more (saved, or discarded by the user). */
  clear(): Promise<void>;
  /** What the last session left unsaved, if it ended without deciding (a crash). */
  recovery(): RecoveryInfo | null;
  /** The recovery's snapshot; it becomes the current autosave, so it stays on disk until saved or discarded. */
  takeRecovery(): Promise<Snapshot | null>;
  discardRecovery(): Promise<void>;
}

export async function createAutosave(folder: string, now: () => number = Date.now): Promise<Autosave> {
  const current = join(folder, 'autosave.json');
  const aside = join(folder, 'recovery.json');
  await mkdir(folder, { recursive: true });
  // A left-over autosave is the newest unsaved work: it becomes the recovery (replacing an older one).
  await rename(current, aside).catch(() => undefined);
  let recovered: Snapshot | null = null;
  try {
    const parsed = v.safeParse(Snapshot, JSON.parse(await readFile(aside, 'utf8')));
    if (parsed.success) recovered = parsed.output;
  } catch {
    // no recovery, or one too damaged to offer
  }
  // One queue for every write and delete, so a slow autosave can never land after the clear that followed it.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    write: (snapshot) => enqueue(() => writeFileAtomic(current, JSON.stringify({ ...snapshot, savedAt: now() }))),
    clear: () => enqueue(() => rm(current, { force: true })),
    recovery: () => (recovered ? { name: recovered.name, savedAt: recovered.savedAt } : null),
    async takeRecovery() {
      const taken = recovered;
      recovered = null;
      await enqueue(() => rename(aside, current).catch(() => undefined));
      return taken;
    },
    async discardRecovery() {
      recovered = null;
      await rm(aside, { force: true });
    },
  };
}
