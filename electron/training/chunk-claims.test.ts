// Chunks claimed from shared memory: each chunk runs once whoever claims it, a thread woken for an earlier run
// claims nothing of a later one, a failed chunk is reported once and the run still ends, and a wait on a chunk
// held by a thread that died ends with that thread's loss instead of hanging.
import { describe, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { allDone, chunking, CLAIM_WORDS, claimChunks, DONE, FAILED, NEXT, openRun, waitForChange } from './chunk-claims';

const control = () => new Int32Array(new SharedArrayBuffer(CLAIM_WORDS * 4));
const never = new Promise<never>(() => {});

describe('chunk claims', () => {
  test('two claimers interleaved run every chunk exactly once and the run ends', async () => {
    const c = control(), ran: string[] = [];
    openRun(c, 1);
    // The first claimer's first chunk lets the second claim the rest (as a second thread would meanwhile).
    claimChunks(c, 1, 5, (k) => {
      ran.push(`a${k}`);
      if (k === 0) claimChunks(c, 1, 5, (j) => void ran.push(`b${j}`), () => {});
    }, () => {});
    expect(ran).toEqual(['a0', 'b1', 'b2', 'b3', 'b4']);
    expect(Atomics.load(c, DONE)).toBe(5);
    await allDone(c, 5, never);
  });

  test('a claimer woken for an earlier run claims nothing of the current one', () => {
    const c = control(), ran: number[] = [];
    openRun(c, 7);
    claimChunks(c, 6, 3, (k) => void ran.push(k), () => {});
    expect(ran).toEqual([]);
    expect(Atomics.load(c, NEXT) & 0xffff).toBe(0);
  });

  test('a failed chunk is reported once, the rest are counted without running, and the run ends', async () => {
    const c = control(), ran: number[] = [], reports: unknown[] = [];
    openRun(c, 2);
    claimChunks(c, 2, 4, (k) => {
      ran.push(k);
      if (k === 1) throw new Error('bad chunk');
    }, (e) => reports.push(e));
    expect(ran).toEqual([0, 1]);
    expect(reports).toHaveLength(1);
    expect(Atomics.load(c, FAILED)).toBe(1);
    await allDone(c, 4, never);
    openRun(c, 3);
    expect(Atomics.load(c, FAILED)).toBe(0);
  });

  test('a wait on a chunk no one will finish ends when the thread holding it is lost', async () => {
    const c = control();
    openRun(c, 1);
    // Another thread claimed chunk 0 of 1 and died.
    Atomics.add(c, NEXT, 1);
    let lose: (e: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => (lose = reject));
    setTimeout(() => lose(new Error('a helper stopped mid-run')), 20);
    await expect(allDone(c, 1, lost)).rejects.toThrow('a helper stopped mid-run');
  });

  test('waiting for a change: at once if the word has changed, false once spin and sleep run out, true when another thread changes it', async () => {
    const c = control();
    Atomics.store(c, NEXT, 5);
    expect(waitForChange(c, NEXT, 4, 1, 1)).toBe(true);
    const t0 = performance.now();
    expect(waitForChange(c, NEXT, 5, 2, 10)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(9);
    // A thread that changes the word 50 ms from now, long after the spin: the sleeper wakes to it.
    const worker = new Worker(`const { workerData } = require('node:worker_threads'); const c = new Int32Array(workerData);
      setTimeout(() => { Atomics.store(c, 0, 6); Atomics.notify(c, 0); }, 50);`, { eval: true, workerData: c.buffer });
    try {
      expect(waitForChange(c, NEXT, 5, 1, 10_000)).toBe(true);
      expect(Atomics.load(c, NEXT)).toBe(6);
    } finally {
      await worker.terminate();
    }
  });

  test('chunking cuts a batch into a few chunks per thread, the last one short', () => {
    expect(chunking(256, 2, 2)).toEqual({ size: 64, chunks: 4 });
    expect(chunking(96, 2, 2)).toEqual({ size: 24, chunks: 4 });
    expect(chunking(13, 2, 4)).toEqual({ size: 2, chunks: 7 });
    expect(chunking(1, 2, 4)).toEqual({ size: 1, chunks: 1 });
  });
});
