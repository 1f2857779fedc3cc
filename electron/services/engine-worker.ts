/**
 * The engine's thread: runs core's maths off the main process, so the window never waits on a convolution.
 * Training runs one iteration per task, so pause, step and stop messages are seen between any two iterations.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './engine-protocol';
import { createStackCache, probeUnit } from '../../core/index';
import { inSlab } from '../../core/ops/floats';
import { kernelPath, setKernelPath } from '../../core/ops/wasm/kernels';
import { TrainingRun } from './training-run';
import { lossSurface } from './loss-surface';
import { networkForward } from './network-forward';
import { LoadedNet } from './loaded-net';
import { NetTrainingRun } from './net-training-run';
import { readSplit } from './dataset-images';
import { serveGradients } from './parallel-training';
import { runInBackground } from './thread-priority';
import { createSharedDatasets } from './shared-datasets';
import { createHeldNets } from './held-nets';
import { REPLACED_BY_LOAD, REPLACED_BY_RUN } from './stop-words';

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

/** The lab's last stack and maps: a brush dab recomputes only the windows of the maps it reaches. */
/** Its states are named by this thread's own prefix: a page's state from another worker (or a restarted one) never matches. */
const stacks = createStackCache(undefined, `${randomUUID().slice(0, 8)}:`);
let run: TrainingRun | null = null;
/** Each page's network (training or opened from a lab), by its owner (net-runs.ts): a page's new one replaces only its own. */
const nets = createHeldNets<NetTrainingRun | LoadedNet>();
/** The dataset, read once per folder into shared memory: 55 MB of pixels that every run using it shares. */
const datasets = createSharedDatasets(async (folder) => {
  const [train, test] = await Promise.all([readSplit(folder, 'train'), readSplit(folder, 'test')]);
  return { train, test };
});

/** Stops `held` if it is training, saying why in its 'stopped' event. */
function stopHeld(held: NetTrainingRun | LoadedNet | undefined, reason: string): void {
  if (held instanceof NetTrainingRun) held.stopFor(reason);
}

async function startNetRun(request: Extract<WorkerRequest, { kind: 'netTrainStart' }>): Promise<void> {
  try {
    const lease = await datasets.acquire(request.folder);
    let run: NetTrainingRun;
    try {
      run = new NetTrainingRun(request.runId, request.payload.settings, lease.train, lease.test, (event) => post({ kind: 'netTraining', event }), request.team, request.teamAlarm, request.stopWord);
    } catch (error) {
      lease.release();
      throw error;
    }
    stopHeld(nets.hold(request.owner ?? '', run), REPLACED_BY_RUN);
    post({ kind: 'reply', id: request.id, ok: true, value: { runId: request.runId } });
    void run.start().finally(() => lease.release());
  } catch (error) {
    // The helpers offered for the run go back to their own work.
    for (const port of request.team ?? []) port.close();
    post({ kind: 'reply', id: request.id, ok: false, error: errorOf(error) });
  }
}

async function loadNet(request: Extract<WorkerRequest, { kind: 'netLoad' }>): Promise<void> {
  try {
    // The test images are a convenience here: a net without them still classifies drawings.
    // The loaded net keeps its own reference to the test set, so the lease is given back at once.
    const test = request.folder ? await datasets.acquire(request.folder).then((d) => (d.release(), d.test), () => null) : null;
    const loaded = new LoadedNet(request.runId, request.payload.net, test);
    stopHeld(nets.hold(request.owner ?? '', loaded), REPLACED_BY_LOAD);
    post({ kind: 'reply', id: request.id, ok: true, value: { runId: request.runId } });
  } catch (error) {
    post({ kind: 'reply', id: request.id, ok: false, error: errorOf(error) });
  }
}

port.on('message', (request: WorkerRequest) => {
  try {
    switch (request.kind) {
      case 'forward': {
        const { outputs } = stacks.run(request.payload.input, request.payload.layers);
        post({ kind: 'reply', id: request.id, ok: true, value: { outputs } });
        return;
      }
      case 'forwardWindows': {
        const { input, inputWindow, layers, since } = request.payload;
        // Only the windows a dab changed leave this thread (transferred, not copied), when the page holds the rest.
        post({ kind: 'reply', id: request.id, ok: true, value: stacks.windows((input ?? inputWindow)!, layers, since) });
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
      case 'netTrainStart':
        void startNetRun(request);
        return;
      case 'netTrainControl': {
        const { runId, command } = request.payload;
        const netRun = nets.byId(runId);
        if (!netRun) throw Object.assign(new Error(`training run ${runId} is not running`), { code: 'range' });
        post({ kind: 'reply', id: request.id, ok: true, value: { state: netRun.control(command) } });
        return;
      }
      case 'netPredict': {
        const { runId, image } = request.payload;
        const netRun = nets.byId(runId);
        if (!netRun) throw Object.assign(new Error(`training run ${runId} has no network to ask`), { code: 'range' });
        post({ kind: 'reply', id: request.id, ok: true, value: netRun.predict(image) });
        return;
      }
      case 'netSnapshot': {
        const { runId } = request.payload;
        const netRun = nets.byId(runId);
        if (!netRun) throw Object.assign(new Error(`training run ${runId} has no network to save`), { code: 'range' });
        post({ kind: 'reply', id: request.id, ok: true, value: netRun.snapshot() });
        return;
      }
      case 'netLoad':
        void loadNet(request);
        return;
      case 'netRelease':
        stopHeld(nets.release(request.owner), request.reason);
        post({ kind: 'reply', id: request.id, ok: true, value: {} });
        return;
      case 'netUnitGradient': {
        const { runId, ...query } = request.payload;
        const netRun = nets.byId(runId);
        if (!netRun) throw Object.assign(new Error(`training run ${runId} has no network to probe`), { code: 'range' });
        post({ kind: 'reply', id: request.id, ok: true, value: netRun.unitGradient(query) });
        return;
      }
      case 'helpTrain':
        serveGradients(request.port);
        post({ kind: 'reply', id: request.id, ok: true, value: kernelPath() });
        return;
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
