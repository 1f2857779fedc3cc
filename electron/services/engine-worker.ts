/**
 * The engine's thread: runs core's maths off the main process, so the window never waits on a convolution.
 * Training runs one iteration per task, so pause, step and stop messages are seen between any two iterations.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './engine-protocol';
import { runStack, probeUnit } from '../../core/index';
import { TrainingRun } from './training-run';
import { lossSurface } from './loss-surface';
import { networkForward } from './network-forward';

if (!parentPort) throw new Error('engine-worker must run as a worker thread');
const port = parentPort;

function transferablesOf(value: unknown, found: ArrayBuffer[] = []): ArrayBuffer[] {
  if (value instanceof Float32Array) {
    if (value.buffer instanceof ArrayBuffer && !found.includes(value.buffer)) found.push(value.buffer);
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

let run: TrainingRun | null = null;

port.on('message', (request: WorkerRequest) => {
  try {
    switch (request.kind) {
      case 'forward': {
        const { outputs } = runStack(request.payload.input, request.payload.layers);
        post({ kind: 'reply', id: request.id, ok: true, value: { outputs } });
        return;
      }
      case 'probe': {
        const { input, layers, layer, unit } = request.payload;
        post({ kind: 'reply', id: request.id, ok: true, value: probeUnit(input, layers, layer, unit) });
        return;
      }
      case 'trainStart': {
        run?.stop();
        run = new TrainingRun(request.runId, request.payload, (event) => post({ kind: 'training', event }));
        post({ kind: 'reply', id: request.id, ok: true, value: { runId: request.runId } });
        run.start();
        return;
      }
      case 'trainControl': {
        const { runId, command } = request.payload;
        if (!run || run.id !== runId) throw Object.assign(new Error(`training run ${runId} is not running`), { code: 'range' });
        post({ kind: 'reply', id: request.id, ok: true, value: { state: run.control(command) } });
        return;
      }
      case 'lossSurface': {
        post({ kind: 'reply', id: request.id, ok: true, value: lossSurface(request.payload) });
        return;
      }
      case 'networkForward': {
        post({ kind: 'reply', id: request.id, ok: true, value: networkForward(request.payload) });
        return;
      }
    }
  } catch (error) {
    post({ kind: 'reply', id: request.id, ok: false, error: errorOf(error) });
  }
});
