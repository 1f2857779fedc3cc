/**
 * The main side's handle on the engine: starts the worker thread, sends it requests, matches replies and routes
 * training events back to whoever started the run. Plain Node, no Electron, so the browser host uses it too.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { RequestOf, ResponseOf, TrainingEvent } from '../contract/contract';
import type { NetTrainingEvent } from '../contract/net-contract';
import type { WorkerReply, WorkerRequest } from './engine-protocol';
import { ServiceError } from './router';
import { endRuns } from './run-ends';
import { createStopWords } from './stop-words';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface EngineHost {
  forward(request: RequestOf<'forward'>): Promise<ResponseOf<'forward'>>;
  forwardWindows(request: RequestOf<'forwardWindows'>): Promise<ResponseOf<'forwardWindows'>>;
  probe(request: RequestOf<'probe'>): Promise<ResponseOf<'probe'>>;
  trainStart(request: RequestOf<'trainStart'>, onEvent: (event: TrainingEvent) => void): Promise<ResponseOf<'trainStart'>>;
  trainControl(request: RequestOf<'trainControl'>): Promise<ResponseOf<'trainControl'>>;
  lossSurface(request: RequestOf<'lossSurface'>): Promise<ResponseOf<'lossSurface'>>;
  networkForward(request: RequestOf<'networkForward'>): Promise<ResponseOf<'networkForward'>>;
  /** Trains LeNet on the dataset in `folder` (checked by the dataset service first). */
  /** `team`/`teamAlarm`: helpers' ports and the word set when one of them dies (engine-pool.ts lends them). */
  /** `owner`: the page it is for (net-runs.ts): it replaces that page's net only. */
  netTrainStart(request: RequestOf<'netTrainStart'>, folder: string, onEvent: (event: NetTrainingEvent) => void, team?: MessagePort[],
    teamAlarm?: SharedArrayBuffer, owner?: string): Promise<ResponseOf<'netTrainStart'>>;
  netTrainControl(request: RequestOf<'netTrainControl'>): Promise<ResponseOf<'netTrainControl'>>;
  netPredict(request: RequestOf<'netPredict'>): Promise<ResponseOf<'netPredict'>>;
  netSnapshot(request: RequestOf<'netSnapshot'>): Promise<ResponseOf<'netSnapshot'>>;
  netUnitGradient(request: RequestOf<'netUnitGradient'>): Promise<ResponseOf<'netUnitGradient'>>;
  /** A saved net into the worker, ready to classify; with the dataset's `folder` its test images can be asked for too. */
  netLoad(request: RequestOf<'netLoad'>, folder: string | null, owner?: string): Promise<ResponseOf<'netLoad'>>;
  /** `owner`'s page is gone: its net is dropped, and stopped with `reason` if it is training. */
  netRelease(owner: string, reason: string): Promise<void>;
  close(): Promise<void>;
}

/** A host that can also lend its worker to another's training run (engine-pool.ts sets this up). */
export interface EngineMember extends EngineHost {
  /** Starts the worker if need be and has it answer batch slices sent over `port`; resolves to its kernel path. */
  helpTrain(port: MessagePort): Promise<'ts' | 'wasm'>;
}

export interface EngineHostOptions {
  /** Node flags for the worker (tests load the TypeScript source through tsx). */
  execArgv?: string[];
  /** Told of each worker thread as it starts (the engine pool watches its members' threads through this). */
  onWorker?: (worker: Worker) => void;
  /** The worker runs below the main thread's priority (thread-priority.ts): for long work nobody waits on by the frame. */
  background?: boolean;
  /** The kernel path the worker takes: WebAssembly SIMD where it loads (the default), or 'ts' (tests run both). */
  kernels?: 'ts' | 'wasm';
}

export function createEngineHost(workerFile: string | URL, options: EngineHostOptions = {}): EngineMember {
  let worker: Worker | null = null;
  let nextId = 1;
  let nextRunId = 1;
  const pending = new Map<number, Pending>();
  const runListeners = new Map<number, (event: TrainingEvent) => void>();
  const netListeners = new Map<number, (event: NetTrainingEvent) => void>();
  /** Each network run's stop word: a Stop, a newer run of its page or its page closing sets it at once, inside a batch. */
  const stopWords = createStopWords();

  function failAll(reason: string): void {
    for (const { reject } of pending.values()) reject(new ServiceError('internal', reason));
    pending.clear();
    // Every run the worker held has ended with it: its page is told why, rather than left waiting.
    for (const runId of netListeners.keys()) stopWords.close(runId);
    endRuns(runListeners, netListeners, reason);
    runListeners.clear();
    netListeners.clear();
    worker = null;
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    const started = new Worker(workerFile, { execArgv: options.execArgv, workerData: { background: options.background === true, kernels: options.kernels ?? 'wasm' } });
    started.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'training') {
        runListeners.get(reply.event.runId)?.(reply.event);
        if (['done', 'stopped', 'diverged', 'error'].includes(reply.event.kind)) runListeners.delete(reply.event.runId);
        return;
      }
      if (reply.kind === 'netTraining') {
        netListeners.get(reply.event.runId)?.(reply.event);
        if (['done', 'stopped', 'diverged', 'error'].includes(reply.event.kind)) {
          netListeners.delete(reply.event.runId);
          stopWords.close(reply.event.runId);
        }
        return;
      }
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new ServiceError(reply.error.code, reply.error.message));
    });
    // A crashed engine fails what it held and is started afresh on the next request.
    started.on('error', (error) => failAll(`the engine stopped: ${error.message}`));
    started.on('exit', (code) => {
      if (worker === started) failAll(`the engine exited with code ${code}`);
    });
    worker = started;
    options.onWorker?.(started);
    return started;
  }

  function send<T>(message: DistributiveOmit<WorkerRequest, 'id'>, transfer: MessagePort[] = []): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      ensureWorker().postMessage({ ...message, id } as WorkerRequest, transfer);
    });
  }

  return {
    forward: (payload) => send({ kind: 'forward', payload }),
    forwardWindows: (payload) => send({ kind: 'forwardWindows', payload }),
    probe: (payload) => send({ kind: 'probe', payload }),
    async trainStart(payload, onEvent) {
      const runId = nextRunId++;
      runListeners.set(runId, onEvent);
      try {
        return await send({ kind: 'trainStart', runId, payload });
      } catch (error) {
        runListeners.delete(runId);
        throw error;
      }
    },
    trainControl: (payload) => send({ kind: 'trainControl', payload }),
    lossSurface: (payload) => send({ kind: 'lossSurface', payload }),
    networkForward: (payload) => send({ kind: 'networkForward', payload }),
    async netTrainStart(payload, folder, onEvent, team = [], teamAlarm, owner) {
      const runId = nextRunId++;
      netListeners.set(runId, onEvent);
      // The page's run going now is replaced: it stops inside its batch rather than after it.
      stopWords.raiseOwner(owner ?? '', 'replaced-by-run');
      const stopWord = stopWords.open(runId, owner ?? '');
      try {
        return await send({ kind: 'netTrainStart', runId, folder, payload, team, teamAlarm, owner, stopWord }, team);
      } catch (error) {
        netListeners.delete(runId);
        stopWords.close(runId);
        throw error;
      }
    },
    netTrainControl(payload) {
      if (payload.command === 'stop') stopWords.raise(payload.runId, 'page');
      return send({ kind: 'netTrainControl', payload });
    },
    helpTrain: (port) => send({ kind: 'helpTrain', port }, [port]),
    netPredict: (payload) => send({ kind: 'netPredict', payload }),
    netSnapshot: (payload) => send({ kind: 'netSnapshot', payload }),
    netUnitGradient: (payload) => send({ kind: 'netUnitGradient', payload }),
    // A net that fails to open leaves the page's run going: the worker replaces it only once the net is built.
    netLoad: (payload, folder, owner) => send({ kind: 'netLoad', runId: nextRunId++, folder, payload, owner }),
    async netRelease(owner, reason) {
      stopWords.raiseOwner(owner, 'closed');
      // Nothing to give back when no worker runs (it died, or never started).
      if (worker) await send({ kind: 'netRelease', owner, reason });
    },
    async close() {
      const current = worker;
      worker = null;
      if (current) await current.terminate();
      failAll('the engine was closed');
    },
  };
}
