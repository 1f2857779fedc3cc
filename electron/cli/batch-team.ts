/**
 * A team of threads that splits one conv pass over a batch, with the operands and the result in
 * SharedArrayBuffers so nothing is copied between threads. The `npm run bench -- --workers N` measure.
 *
 * - The calling thread is a member and works too (as the leading engine worker does in parallel-training.ts), so
 *   a team of one is exactly a plain call (inside recycling, as in a training step): no thread, no shared memory,
 *   no copy.
 * - The batch is cut into chunks of a few images that members claim as they come free (chunk-claims.ts), so a
 *   worker the system schedules late costs nothing: the caller takes its chunks.
 * - Worker members (batch-worker.ts) sleep in Atomics.wait and are woken by Atomics.notify: a futex, not a trip
 *   through two event loops. A task's description crosses on a MessagePort only when it changes.
 * - Forward and input-gradient chunks write disjoint parts of the result; each weight-gradient chunk writes its
 *   own partial sum, added in chunk order whoever computed it, so the sum does not depend on the schedule.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { conv2d, conv2dInputGrad, conv2dWeightGrad, type Conv2dOptions } from '../../core/ops/conv2d';
import { recycling } from '../../core/ops/floats';
import { allDone, chunking, CLAIM_WORDS, claimChunks, FAILED, openRun } from '../training/chunk-claims';

export type BatchPass = 'forward' | 'input-grad' | 'weight-grad';

/** What every member is asked for one pass: the operands, where the result goes and how the batch is cut. */
export interface BatchTask {
  pass: BatchPass; chunk: number; chunks: number;
  xShape: number[]; wShape: number[]; ySize: [number, number]; options: Conv2dOptions;
  x: SharedArrayBuffer; w: SharedArrayBuffer; gy: SharedArrayBuffer; out: SharedArrayBuffer;
}

/** What a worker member is started with (its workerData). */
export interface BatchMemberData {
  control: SharedArrayBuffer;
  /** Where tasks arrive and errors leave. */
  port: MessagePort;
}

/** The pass on chunk `c`'s images, written into its part of `out` (weight gradient: its own partial sum). */
export function runChunk(task: BatchTask, c: number, out: Float32Array): void {
  const [n, cin, h, w] = task.xShape, [cout] = task.wShape;
  const n0 = c * task.chunk, n1 = Math.min(n, n0 + task.chunk);
  const perImage = task.pass === 'forward' ? cout * task.ySize[0] * task.ySize[1] : cin * h * w;
  // Forward and input gradient write straight into their rows of `out`; the weight gradient's partial sum is copied
  // into its slot. The pass's own arrays (the rotated kernel, the partial sum) serve the next call, as a step's do.
  recycling(() => {
    if (task.pass === 'weight-grad') out.set(passOn(task, n0, n1), c * (task.w.byteLength / 4));
    else passOn(task, n0, n1, out.subarray(n0 * perImage, n1 * perImage));
  });
}

/**
 * The pass on images n0..n1−1 of the shared operands: its result (the weight gradient's partial sum), written into
 * `into` when given (forward and input gradient).
 */
function passOn(task: { pass: BatchPass } & SharedConv, n0: number, n1: number, into?: Float32Array): Float32Array {
  const [, cin, h, w] = task.xShape, [cout] = task.wShape;
  const count = n1 - n0, perX = cin * h * w, perY = cout * task.ySize[0] * task.ySize[1];
  const xShape = [count, cin, h, w];
  const x = { shape: xShape, data: new Float32Array(task.x, n0 * perX * 4, count * perX) };
  const wt = { shape: task.wShape, data: new Float32Array(task.w) };
  const gy = { shape: [count, cout, ...task.ySize], data: new Float32Array(task.gy, n0 * perY * 4, count * perY) };
  if (task.pass === 'forward') return conv2d(x, wt, null, task.options, into).data;
  if (task.pass === 'input-grad') return conv2dInputGrad(xShape, wt, gy, task.options, into).data;
  return conv2dWeightGrad(x, gy, task.wShape, task.options).gradWeight.data;
}

/** Operands of one conv in shared memory, set once and run many times. */
export interface SharedConv {
  xShape: number[]; wShape: number[]; ySize: [number, number]; options: Conv2dOptions;
  x: SharedArrayBuffer; w: SharedArrayBuffer; gy: SharedArrayBuffer;
}

export function shareConv(x: { shape: number[]; data: Float32Array }, w: { shape: number[]; data: Float32Array },
  gy: { shape: number[]; data: Float32Array }, options: Conv2dOptions): SharedConv {
  const share = (data: Float32Array) => {
    const buffer = new SharedArrayBuffer(data.byteLength);
    new Float32Array(buffer).set(data);
    return buffer;
  };
  return { xShape: x.shape, wShape: w.shape, ySize: [gy.shape[2], gy.shape[3]], options, x: share(x.data), w: share(w.data), gy: share(gy.data) };
}

export interface BatchTeam {
  readonly size: number;
  /**
   * The pass over the whole batch. The result is memory the team reuses: with helpers a view of memory kept for
   * this conv and pass, alone an array recycled for the next run (copy it to keep it past the next run).
   */
  run(pass: BatchPass, conv: SharedConv): Promise<Float32Array>;
  /** The worker members' threads (the caller is the first member and has none). */
  workers(): Worker[];
  close(): Promise<void>;
}

/** The control word bumped to wake the workers for a run (after chunk-claims.ts's words). */
export const RUN = CLAIM_WORDS;

/**
 * Chunks per member: one, so each member writes the same part of the result run after run (its cache lines stay
 * on its core) and pays a pass's fixed cost once; a late member's chunk is still taken by the caller. Timed in turn
 * against two on a quiet machine (`bench --workers 2`): S4b's three passes 1.89–2.00× one thread against 1.58–1.88×.
 */
const CHUNKS_PER_MEMBER = 1;

interface Member {
  worker: Worker;
  port: MessagePort;
  /** The task last sent: a run that asks the same again sends nothing. */
  sent: BatchTask | null;
  /** Why this member can no longer answer, once it cannot. */
  lost: Error | null;
}

/** A team of `size` threads: this one and size − 1 workers running `workerFile` (batch-worker.ts). */
export function createBatchTeam(size: number, workerFile: string | URL, execArgv?: string[]): BatchTeam {
  const control = new Int32Array(new SharedArrayBuffer((CLAIM_WORDS + 1) * 4));
  let lostReject: (error: Error) => void = () => {};
  /** Rejects when any worker member exits: a wait for chunks races it. */
  const anyLost = new Promise<never>((_, reject) => (lostReject = reject));
  anyLost.catch(() => {});
  const members: Member[] = Array.from({ length: size - 1 }, () => {
    const { port1, port2 } = new MessageChannel();
    const data: BatchMemberData = { control: control.buffer as SharedArrayBuffer, port: port2 };
    const worker = new Worker(workerFile, { execArgv, workerData: data, transferList: [port2] });
    const member: Member = { worker, port: port1, sent: null, lost: null };
    worker.once('exit', (code) => {
      member.lost = new Error(`a batch worker exited with code ${code}`);
      lostReject(member.lost);
    });
    return member;
  });
  const results = new WeakMap<SharedConv, Map<BatchPass, SharedArrayBuffer>>();
  let running = false;
  let run = 0;

  /** The message of a failed chunk, from whichever member's port holds it. */
  function failure(): Error {
    for (const m of members) {
      const reply = receiveMessageOnPort(m.port)?.message as { message?: string } | undefined;
      if (reply?.message !== undefined) return new Error(reply.message);
    }
    return new Error('a batch worker failed');
  }

  return {
    size,
    workers: () => members.map((m) => m.worker),
    async run(pass, conv) {
      if (running) throw new Error('a batch team runs one pass at a time');
      const lost = members.find((m) => m.lost !== null);
      if (lost) throw lost.lost!;
      const [n, cin, h, w] = conv.xShape;
      const yLength = n * conv.wShape[0] * conv.ySize[0] * conv.ySize[1], wLength = conv.w.byteLength / 4;
      if (size === 1) {
        // A team of one is the plain call on this thread, inside recycling as a training step makes it: its result
        // reuses the last run's memory, as the team's kept buffer does (a fresh megabyte costs more than S4a's kernel).
        return recycling(() => passOn({ pass, ...conv }, 0, n));
      }
      const { size: chunk, chunks } = chunking(n, size, CHUNKS_PER_MEMBER);
      // One result buffer per conv and pass, kept for its next run (a fresh shared buffer each time is a zero-fill).
      let kept = results.get(conv);
      if (kept === undefined) results.set(conv, (kept = new Map()));
      let shared = kept.get(pass);
      if (shared === undefined) {
        shared = new SharedArrayBuffer(4 * (pass === 'forward' ? yLength : pass === 'input-grad' ? n * cin * h * w : chunks * wLength));
        kept.set(pass, shared);
      }
      const out = new Float32Array(shared);
      const task: BatchTask = { pass, chunk, chunks, ...conv, out: shared };
      running = true;
      try {
        // A worker's report of an earlier failed run, if the caller's own came first, is stale now.
        for (const m of members) while (receiveMessageOnPort(m.port) !== undefined);
        for (const m of members) {
          // The result buffer is this conv's and this pass's: the same buffer is the same task.
          if (m.sent?.out === shared) continue;
          m.port.postMessage(task);
          m.sent = task;
        }
        openRun(control, ++run);
        Atomics.store(control, RUN, run);
        Atomics.notify(control, RUN);
        let ownError: unknown = null;
        claimChunks(control, run, chunks, (c) => runChunk(task, c, out), (error) => (ownError = error));
        await allDone(control, chunks, anyLost);
        if (ownError !== null) throw ownError;
        if (Atomics.load(control, FAILED) !== 0) throw failure();
        if (pass !== 'weight-grad') return out;
        // The chunks' partial sums, added into the first's in chunk order.
        const sum = out.subarray(0, wLength);
        for (let c = 1; c < chunks; c++) for (let j = 0, from = c * wLength; j < wLength; j++) sum[j] += out[from + j];
        return sum;
      } finally {
        running = false;
      }
    },
    async close() {
      await Promise.all(members.map(async (m) => {
        m.port.close();
        await m.worker.terminate();
      }));
    },
  };
}
