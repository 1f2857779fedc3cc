/**
 * A team of threads that splits one conv pass over a batch: each member takes a contiguous slice of the images,
 * with the operands and the result in SharedArrayBuffers so nothing is copied between threads. Forward and input
 * gradient slices are disjoint parts of the result; weight-gradient members write partial sums that are added
 * here. The building block for spreading a training batch over cores; `npm run bench -- --workers N` times it.
 */
import { Worker } from 'node:worker_threads';
import type { Conv2dOptions } from '../../core/ops/conv2d';

export type BatchPass = 'forward' | 'input-grad' | 'weight-grad';

/** What one member is asked (see batch-worker.ts). */
export interface BatchTask {
  pass: BatchPass; member: number; n0: number; n1: number;
  xShape: number[]; wShape: number[]; ySize: [number, number]; yPerImage: number; options: Conv2dOptions;
  x: SharedArrayBuffer; w: SharedArrayBuffer; gy: SharedArrayBuffer; out: SharedArrayBuffer;
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
  run(pass: BatchPass, conv: SharedConv): Promise<Float32Array>;
  close(): Promise<void>;
}

export function createBatchTeam(size: number, workerFile: string | URL, execArgv?: string[]): BatchTeam {
  const members = Array.from({ length: size }, () => new Worker(workerFile, { execArgv }));
  const ask = (worker: Worker, task: BatchTask) => new Promise<void>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`a batch worker exited with code ${code}`));
    worker.once('exit', onExit);
    worker.once('message', (reply: { ok: boolean; message?: string }) => {
      worker.off('exit', onExit);
      if (reply.ok) resolve();
      else reject(new Error(reply.message));
    });
    worker.postMessage(task);
  });
  const results = new WeakMap<SharedConv, Map<string, SharedArrayBuffer>>();
  return {
    size,
    async run(pass, conv) {
      const [n, cin, h, w] = conv.xShape;
      const yPerImage = conv.wShape[0] * conv.ySize[0] * conv.ySize[1];
      const wLength = conv.w.byteLength / 4;
      const outLength = pass === 'forward' ? n * yPerImage : pass === 'input-grad' ? n * cin * h * w : size * wLength;
      // One result buffer per conv and pass, kept for its next run (a fresh shared buffer each time is a zero-fill).
      const key = `${pass}:${size}`;
      let kept = results.get(conv);
      if (kept === undefined) results.set(conv, (kept = new Map()));
      let out = kept.get(key);
      if (out === undefined) kept.set(key, (out = new SharedArrayBuffer(outLength * 4)));
      // Contiguous slices as even as the batch allows; a member with no images sits this one out.
      const tasks = members.map((_, m) => ({ m, n0: Math.floor((m * n) / size), n1: Math.floor(((m + 1) * n) / size) }))
        .filter((t) => t.n1 > t.n0);
      await Promise.all(tasks.map((t) => ask(members[t.m], {
        pass, member: t.m, n0: t.n0, n1: t.n1, xShape: conv.xShape, wShape: conv.wShape, ySize: conv.ySize, yPerImage,
        options: conv.options, x: conv.x, w: conv.w, gy: conv.gy, out,
      })));
      const all = new Float32Array(out);
      // slice(), a block copy: Float32Array.from walks an iterator, tens of milliseconds on S5's 4M values.
      if (pass !== 'weight-grad') return all.slice();
      const sum = new Float32Array(wLength);
      for (const t of tasks) for (let i = 0; i < wLength; i++) sum[i] += all[t.m * wLength + i];
      return sum;
    },
    async close() {
      await Promise.all(members.map((worker) => worker.terminate()));
    },
  };
}
