/**
 * Work split by claiming: a run's chunks are taken one at a time from a counter in shared memory by whichever
 * thread is free, the caller included, so a thread the system schedules late (the other core busy, a worker still
 * answering another request) costs nothing: the others take its chunks. Handing each thread a fixed half made the
 * second half start only when the first had ended, and the split as slow as one thread. Used by the conv batch
 * team (batch-team.ts) and data-parallel training (parallel-training.ts).
 *
 * The control words (an Int32Array over a SharedArrayBuffer): NEXT holds the run's tag (its number mod 2¹⁵, high
 * half) and the next chunk to claim (low half), so a thread woken for an earlier run cannot claim a later run's
 * chunk with the earlier run's task; DONE counts the run's finished chunks; FAILED is set once a chunk has thrown.
 */
export const NEXT = 0, DONE = 1, FAILED = 2;
/** Words claims use; a caller may keep its own after them. */
export const CLAIM_WORDS = 3;
/** Chunks a run may have (the low half of NEXT). */
export const MAX_CHUNKS = 0xffff;

/** Opens run `run` of `control`: no chunk claimed, none done, none failed. Call before waking the other threads. */
export function openRun(control: Int32Array, run: number): void {
  Atomics.store(control, DONE, 0);
  Atomics.store(control, FAILED, 0);
  Atomics.store(control, NEXT, ((run & 0x7fff) << 16) | 0);
}

/**
 * Claims chunks of run `run` one at a time and runs `work(c)` on each, until no chunk is left or the run is no
 * longer the current one. A chunk that throws is reported (`report`, once per thread and run, before the chunk
 * counts as done, so whoever sees the run end finds the report) and marks the run failed; the rest are then
 * claimed and counted but not run, so the run still ends.
 */
export function claimChunks(control: Int32Array, run: number, chunks: number, work: (chunk: number) => void,
  report: (error: unknown) => void): void {
  let reported = false;
  for (;;) {
    const next = Atomics.load(control, NEXT);
    if (next >>> 16 !== (run & 0x7fff) || (next & 0xffff) >= chunks) return;
    if (Atomics.compareExchange(control, NEXT, next, next + 1) !== next) continue;
    try {
      if (Atomics.load(control, FAILED) === 0) work(next & 0xffff);
    } catch (error) {
      Atomics.store(control, FAILED, 1);
      if (!reported) report(error);
      reported = true;
    }
    if (Atomics.add(control, DONE, 1) + 1 === chunks) Atomics.notify(control, DONE);
  }
}

/**
 * Runs chunk `chunk` of the current run, given to this thread rather than claimed (a run whose chunks meet at
 * barriers needs each on its own thread), reporting and counting it as claimChunks does.
 */
export function workChunk(control: Int32Array, chunks: number, chunk: number, work: (chunk: number) => void,
  report: (error: unknown) => void): void {
  try {
    if (Atomics.load(control, FAILED) === 0) work(chunk);
  } catch (error) {
    Atomics.store(control, FAILED, 1);
    report(error);
  }
  if (Atomics.add(control, DONE, 1) + 1 === chunks) Atomics.notify(control, DONE);
}

/** Atomics.waitAsync (Node ≥ 16), typed here: the project's TypeScript lib (ES2023) predates it. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/**
 * How long a caller spins on the last chunks before it sleeps (a wake-up through the event loop costs more). Timed
 * on S4a's forward split over two threads, in turn on a quiet machine: 0.5 ms gave 1.48–1.55× one thread, 0.05 ms
 * 1.39–1.41×.
 */
const SPIN_MS = 0.5;

/**
 * Resolves once all `chunks` of the current run are done; rejects with `lost`'s reason if that settles first (a
 * thread that died holding a chunk would otherwise be waited for forever). The event loop runs meanwhile.
 */
export async function allDone(control: Int32Array, chunks: number, lost: Promise<never>): Promise<void> {
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(control, DONE) !== chunks && performance.now() < spinUntil);
  for (let done = Atomics.load(control, DONE); done !== chunks; done = Atomics.load(control, DONE)) {
    const waited = waitAsync(control, DONE, done);
    if (waited.async) await Promise.race([waited.value, lost]);
  }
}

/**
 * Waits until control[index] is no longer `seen`: spinning up to `spinMs` first, then sleeping in Atomics.wait up
 * to `sleepMs` more. The spin is for the next run that comes at once (a training step's next batch, a bench's next
 * pass): a thread asleep in the kernel, on a virtual machine's idle core above all, takes far longer to wake than a
 * run of a few hundred microseconds lasts. Whether the word changed.
 */
export function waitForChange(control: Int32Array, index: number, seen: number, spinMs: number, sleepMs = Infinity): boolean {
  const spinUntil = performance.now() + spinMs;
  while (Atomics.load(control, index) === seen) {
    if (performance.now() >= spinUntil) return Atomics.wait(control, index, seen, sleepMs) !== 'timed-out';
  }
  return true;
}

/** Chunks of `size` images for `count` images over `threads` threads, `perThread` each when the count allows. */
export function chunking(count: number, threads: number, perThread: number): { size: number; chunks: number } {
  const size = Math.max(1, Math.ceil(count / (threads * perThread)));
  return { size, chunks: Math.ceil(count / size) };
}
