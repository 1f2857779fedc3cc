/**
 * The dataset as the engine worker's training runs hold it: one copy of each folder's images in shared memory, which
 * every run reading that folder uses and every helper of a split run reads in place (parallel-training.ts shares
 * a set already in shared memory instead of copying it). Each run holds a lease; when the last lease is given back
 * the copy is dropped after a short linger, so a Stop followed by a Start does not read the files again, but an idle
 * host does not keep 55 MB of pixels for good. Before this, every run copied the set into shared memory of its own.
 */
import type { LabelledImages } from '../../core/data/idx';

/** A training run's hold on a folder's sets; `release` gives it back (a second call does nothing). */
export interface DatasetLease {
  train: LabelledImages;
  test: LabelledImages;
  release(): void;
}

export interface SharedDatasets {
  /** The folder's sets, read once into shared memory while any lease on them is held. */
  acquire(folder: string): Promise<DatasetLease>;
  /** Folders whose copy is held now (leased or lingering), for tests and memory checks. */
  folders(): string[];
}

type Sets = { train: LabelledImages; test: LabelledImages };

/** How long an unleased copy is kept for the next run before it is dropped. */
export const LINGER_MS = 5_000;

/** `set` with its pixels and labels in shared memory (as it is when it is there already). */
export function inSharedMemory(set: LabelledImages): LabelledImages {
  if (isShared(set)) return set;
  const pixels = new Uint8Array(new SharedArrayBuffer(set.pixels.byteLength));
  const labels = new Uint8Array(new SharedArrayBuffer(set.labels.byteLength));
  pixels.set(set.pixels);
  labels.set(set.labels);
  return { ...set, pixels, labels };
}

/** True when `set`'s pixels and labels each fill a SharedArrayBuffer of their own, so other threads can read them as they are. */
export function isShared(set: LabelledImages): boolean {
  const whole = (a: Uint8Array) => a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return whole(set.pixels) && whole(set.labels);
}

/** Leases over the sets `read` gives for a folder; `lingerMs` keeps a released copy that long for the next run. */
export function createSharedDatasets(read: (folder: string) => Promise<Sets>, lingerMs = LINGER_MS): SharedDatasets {
  const held = new Map<string, { sets: Promise<Sets>; leases: number; drop: ReturnType<typeof setTimeout> | null }>();

  function entryFor(folder: string) {
    let entry = held.get(folder);
    if (!entry) {
      const sets = read(folder).then(({ train, test }) => ({ train: inSharedMemory(train), test: inSharedMemory(test) }));
      const created = { sets, leases: 0, drop: null };
      entry = created;
      // A read that failed is not kept: the next run reads the folder again.
      sets.catch(() => held.get(folder) === created && held.delete(folder));
      held.set(folder, entry);
    }
    return entry;
  }

  return {
    async acquire(folder) {
      const entry = entryFor(folder);
      if (entry.drop !== null) clearTimeout(entry.drop);
      entry.drop = null;
      entry.leases++;
      let sets: Sets;
      try {
        sets = await entry.sets;
      } catch (error) {
        entry.leases--;
        throw error;
      }
      let released = false;
      return {
        ...sets,
        release() {
          if (released) return;
          released = true;
          if (--entry.leases > 0) return;
          const drop = () => held.get(folder) === entry && entry.leases === 0 && held.delete(folder);
          if (lingerMs <= 0) drop();
          else {
            entry.drop = setTimeout(drop, lingerMs);
            // A lingering copy never keeps a thread alive by itself.
            entry.drop.unref?.();
          }
        },
      };
    },
    folders: () => [...held.keys()],
  };
}
