/**
 * The engine's thread: runs core's maths off the main process, so the window never waits on a convolution.
 * Training runs one iteration per task, so pause, step and stop messages are seen between any two iterations.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './engine-protocol';
import { createStackCache } from '../../core/index';
import { inSlab } from '../../core/ops/floats';
import { kernelPath, setKernelPath } from '../../core/ops/wasm/kernels';
import { readTrainingSets } from '../services/dataset/training-sets';
import { createHeldNets } from '../training/held-nets';
import { serveGradients } from '../training/parallel-training';
import { createSharedDatasets } from '../training/shared-datasets';
import { runInBackground } from './thread-priority';
import type { WorkerJob, WorkerRoom } from './engine-call-entry';
import { engineCall } from './engine-calls';

if (!parentPort) throw new Error('engine-worker must run as a worker thread');
const port = parentPort;
const data = workerData as { background?: boolean; kernels?: 'ts' | 'wasm' } | null;
// A pool worker computes what nobody waits on by the frame: it yields to the main thread and the interactive worker.
if (data?.background) runInBackground();
if (data?.kernels === 'ts') setKernelPath('ts');

function transferablesOf(value: unknown, found: ArrayBuffer[] = []): ArrayBuffer[] {
  if (value instanceof Float32Array) {
    // Not a small array's slab, which other arrays share (core/ops/floats.ts): that one is cloned.
    if (value.buffer instanceof ArrayBuffer && !inSlab(value) && !found.includes(value.buffer)) found.push(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferablesOf(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) transferablesOf(item, found);
  }
  return found;
}

function post(reply: WorkerReply): void {
  // Transfer, not copy: the maps are this thread's to give away once computed.
  port.postMessage(reply, transferablesOf(reply));
}

function errorOf(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const coded = error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
  return { code: coded ? ('engine' as const) : ('internal' as const), message };
}

/**
 * What calls share in this thread. The lab's last stack and maps: a brush dab recomputes only the windows of the
 * maps it reaches; its states are named by this thread's own prefix, so a page's state from another worker (or a
 * restarted one) never matches.
 */
const room: WorkerRoom = {
  stacks: createStackCache(undefined, `${randomUUID().slice(0, 8)}:`),
  labRun: null,
  // Each page's network (training or opened from a lab), by its owner (net-runs.ts): a page's new one replaces only its own.
  nets: createHeldNets(),
  // The dataset, read once per folder into shared memory: 55 MB of pixels that every run using it shares.
  // An IDX folder or an opened image folder's cache file (training-sets.ts): the same typed arrays either way.
  datasets: createSharedDatasets(readTrainingSets),
  emit: (event, payload) => post({ kind: event, event: payload } as WorkerReply),
};

/** Answers one request with its entry's work (engine-calls.ts), then runs what was to follow the answer. */
function answer(request: WorkerRequest): void {
  const later: (() => void)[] = [];
  const replied = (value: unknown) => {
    post({ kind: 'reply', id: request.id, ok: true, value });
    for (const then of later) then();
  };
  const failed = (error: unknown) => post({ kind: 'reply', id: request.id, ok: false, error: errorOf(error) });
  try {
    if (request.call === 'helpTrain') {
      serveGradients(request.port);
      replied(kernelPath());
      return;
    }
    const entry = engineCall(request.call);
    if (!entry) throw new Error(`the engine has no call named ${request.call}`);
    const job: WorkerJob = {
      runId: request.runId ?? 0,
      folder: request.folder ?? null,
      team: request.team ?? [],
      teamAlarm: request.teamAlarm,
      owner: request.owner ?? '',
      stopWord: request.stopWord,
      afterReply: (then) => later.push(then),
    };
    const value = entry.work(request.payload as never, room, job);
    if (value instanceof Promise) value.then(replied, failed);
    else replied(value);
  } catch (error) {
    failed(error);
  }
}

port.on('message', answer);
