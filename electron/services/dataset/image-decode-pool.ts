/**
 * The folder reader's decode threads: batches of image paths go to whichever thread is free; each answers the
 * batch's fitted pixels. Made for one opening and closed after it, so no thread idles while nothing is read.
 */
import { Worker } from 'node:worker_threads';
import type { DecodeReply, DecodeRequest } from './image-decode-protocol';

export interface DecodePoolOptions {
  /** Threads to start (the machine's cores are the useful most). */
  size: number;
  /** For running the TypeScript source (tests, the CLI): ['--import', 'tsx']. */
  execArgv?: string[];
}

export interface DecodePool {
  decode(request: Omit<DecodeRequest, 'id'>): Promise<DecodeReply>;
  close(): Promise<void>;
}

interface Waiting { request: DecodeRequest; resolve(reply: DecodeReply): void; reject(error: Error): void }

/** Starts `size` decode threads from `workerFile` (image-decode-worker's source or its build). */
export function createDecodePool(workerFile: URL | string, options: DecodePoolOptions): DecodePool {
  const queue: Waiting[] = [];
  const busy = new Map<Worker, Waiting>();
  const idle: Worker[] = [];
  let nextId = 1, closed = false, alive = 0;

  function pump(): void {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker, job = queue.shift() as Waiting;
      busy.set(worker, job);
      worker.postMessage(job.request);
    }
  }

  const workers = Array.from({ length: Math.max(1, options.size) }, () => {
    const worker = new Worker(workerFile, { execArgv: options.execArgv });
    worker.on('message', (reply: DecodeReply) => {
      const job = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      job?.resolve(reply);
      pump();
    });
    const fail = (error: Error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      if (!closed) job?.reject(new Error(`an image decode thread stopped: ${error.message}`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`exit code ${code}`));
      // A dead thread takes no more batches; with none left, what still waits could never be answered.
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      alive--;
      if (alive === 0 && !closed) for (const job of queue.splice(0)) job.reject(new Error(`every image decode thread stopped (the last with exit code ${code})`));
    });
    alive++;
    idle.push(worker);
    return worker;
  });

  return {
    decode(request) {
      if (closed) return Promise.reject(new Error('the decode threads are closed'));
      if (alive === 0) return Promise.reject(new Error('every image decode thread stopped'));
      return new Promise((resolve, reject) => {
        queue.push({ request: { ...request, id: nextId++ }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the decode threads were closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
