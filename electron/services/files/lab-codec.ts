/**
 * The lab file's heavy steps, gating a lab's content (parse, check, decode its weights) and writing its canonical
 * text, for the file service. A 30 MB lab (GoogLeNet at divisor 1) takes about two seconds: run on the host's main
 * thread, every other page's request would wait behind it, so a large lab goes to a worker thread of its own and a
 * small one (a few milliseconds) is done in place.
 */
import { Worker } from 'node:worker_threads';
import type { LabContent } from '../../contract/files-contract';
import { decodeLabBytes, gateLabText, serializeLab, type Lab } from '../../contract/lab-file';
import { ServiceError } from '../router';

export interface LabCodec {
  /** The gated lab of a file's content, or a ServiceError naming the file and the problem. */
  gate(content: LabContent, fileName: string): Promise<Lab>;
  /** The gated, canonical text of a lab's content. */
  canonical(content: LabContent, fileName: string): Promise<string>;
  /** Ends the worker, failing what it holds. */
  close(): Promise<void>;
}

/** A lab's content as text: bytes must be UTF-8 (a refusal names the file and its encoding). */
export function labContentText(content: LabContent, fileName: string): string {
  if (typeof content === 'string') return content;
  const decoded = decodeLabBytes(content);
  if (!decoded.ok) throw new ServiceError('bad-file', `${fileName}: ${decoded.message}`);
  return decoded.text;
}

/** The gate, as a service error that names the file and the problem. */
export function gateLabContent(content: LabContent, fileName: string): Lab {
  const result = gateLabText(labContentText(content, fileName));
  if (!result.ok) throw new ServiceError('bad-file', `${fileName}: ${result.message}`);
  return result.lab;
}

/** Both steps here, on the caller's thread: for tests, and for content too small to be worth a worker. */
export const inlineLabCodec: LabCodec = {
  gate: async (content, fileName) => gateLabContent(content, fileName),
  canonical: async (content, fileName) => serializeLab(gateLabContent(content, fileName)),
  close: async () => undefined,
};

/** What the codec worker is asked, and what it answers. */
export type LabCodecRequest = { id: number; kind: 'gate' | 'canonical'; content: LabContent; fileName: string };
export type LabCodecReply = { id: number; ok: true; value: Lab | string } | { id: number; ok: false; code: ServiceError['code'] | null; message: string };

/** Content up to this size is gated in place: a 256 KB lab takes a few milliseconds, less than a worker's round trip costs in copies. */
export const INLINE_LAB_BYTES = 256 * 1024;

/** A codec whose large jobs run in the worker started from `workerFile` (lab-codec-worker.ts), one at a time, in order. */
export function createLabCodecWorker(workerFile: URL | string, options: { execArgv?: string[] } = {}): LabCodec {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(value: Lab | string): void; reject(error: Error): void }>();

  function failAll(message: string): void {
    worker = null;
    for (const waiting of pending.values()) waiting.reject(new ServiceError('internal', message));
    pending.clear();
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    const started = new Worker(workerFile, { execArgv: options.execArgv });
    // The host's life is its sockets' and windows': an idle codec never keeps it running.
    started.unref();
    started.on('message', (reply: LabCodecReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(reply.code ? new ServiceError(reply.code, reply.message) : new Error(reply.message));
    });
    // A crashed codec fails what it held and is started afresh for the next lab.
    started.on('error', (error) => failAll(`the lab file worker stopped: ${error.message}`));
    started.on('exit', (code) => {
      if (worker === started) failAll(`the lab file worker exited with code ${code}`);
    });
    worker = started;
    return started;
  }

  function run(kind: LabCodecRequest['kind'], content: LabContent, fileName: string): Promise<Lab | string> {
    const size = typeof content === 'string' ? content.length : content.byteLength;
    if (size <= INLINE_LAB_BYTES) return kind === 'gate' ? inlineLabCodec.gate(content, fileName) : inlineLabCodec.canonical(content, fileName);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ensureWorker().postMessage({ id, kind, content, fileName } satisfies LabCodecRequest);
    });
  }

  return {
    gate: (content, fileName) => run('gate', content, fileName) as Promise<Lab>,
    canonical: (content, fileName) => run('canonical', content, fileName) as Promise<string>,
    async close() {
      const running = worker;
      failAll('the lab file worker was closed');
      await running?.terminate();
    },
  };
}
