/**
 * The main side's handle on the engine: starts the worker thread, sends it requests, matches replies and routes
 * training events back to whoever started the run. Plain Node, no Electron, so the browser host uses it too.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { RequestOf, ResponseOf } from '../contract/contract';
import { isRunEnd } from '../contract/run-end';
import { ServiceError } from '../services/router';
import { createStopWords } from '../training/stop-words';
import { readExtras, type EngineCall, type ExtraArgs, type RunEventName } from './engine-call-entry';
import { ENGINE_CALL_NAMES, engineCall, type EngineCallName, type EngineCalls } from './engine-calls';
import type { CallMessage, HelpTrainMessage, WorkerReply } from './engine-protocol';
import { endRuns } from './run-ends';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A method per engine call (engine-calls.ts): the request, then what its entry asks for besides — the dataset's
 * folder, the run's event listener, the helpers' ports and the word set when one of them dies (engine-pool.ts).
 */
export type EngineMethods = {
  [K in EngineCallName]: (request: RequestOf<K>, ...extras: ExtraArgs<EngineCalls[K]>) => Promise<ResponseOf<K>>;
};
export type EngineHost = EngineMethods & { close(): Promise<void> };

/** Builds a method per engine call, each passing its name, request and further arguments to `call`. */
export function engineMethods(call: (name: EngineCallName, request: unknown, extras: unknown[]) => Promise<unknown>): EngineMethods {
  return Object.fromEntries(ENGINE_CALL_NAMES.map((name) => [name, (request: unknown, ...extras: unknown[]) => call(name, request, extras)])) as EngineMethods;
}

/** Calls the method of engine call `name` on `engine`, with the arguments its entry takes after the request. */
export function callByName(engine: EngineHost, name: EngineCallName, request: unknown, args: unknown[]): Promise<unknown> {
  return (engine[name] as (request: unknown, ...args: unknown[]) => Promise<unknown>)(request, ...args);
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

/** A host on one worker thread of `workerFile`, started at the first request and again after a crash. */
export function createEngineHost(workerFile: string | URL, options: EngineHostOptions = {}): EngineMember {
  let worker: Worker | null = null;
  let nextId = 1;
  let nextRunId = 1;
  const pending = new Map<number, Pending>();
  /** Each run's listener, by the events it reports and its run id. */
  const listeners: Record<RunEventName, Map<number, (event: never) => void>> = { training: new Map(), netTraining: new Map() };
  /** Each network run's stop word: a Stop, a newer run of its page or its page closing sets it at once, inside a batch. */
  const stopWords = createStopWords();

  function failAll(reason: string): void {
    for (const { reject } of pending.values()) reject(new ServiceError('internal', reason));
    pending.clear();
    // Every run the worker held has ended with it: its page is told why, rather than left waiting.
    for (const runId of listeners.netTraining.keys()) stopWords.close(runId);
    endRuns(listeners, reason);
    worker = null;
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    const started = new Worker(workerFile, { execArgv: options.execArgv, workerData: { background: options.background === true, kernels: options.kernels ?? 'wasm' } });
    started.on('message', (reply: WorkerReply) => {
      if (reply.kind !== 'reply') {
        const runs = listeners[reply.kind];
        runs.get(reply.event.runId)?.(reply.event as never);
        if (isRunEnd(reply.event.kind)) {
          runs.delete(reply.event.runId);
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

  function send<T>(message: DistributiveOmit<CallMessage | HelpTrainMessage, 'id'>, transfer: MessagePort[] = []): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      ensureWorker().postMessage({ ...message, id }, transfer);
    });
  }

  /**
   * A network run's stop word, by its entry (engine-call-entry.ts): a new run's page's run going is replaced and the
   * new run gets a word; a Stop sets its run's word; a page that is gone sets its runs' words. The word is seen
   * inside a batch, where the message waits behind it.
   */
  function stopWordFor(entry: EngineCall<never>, payload: unknown, runId: number | undefined, owner: string): SharedArrayBuffer | undefined {
    switch (entry.stopWord) {
      case 'opens':
        stopWords.raiseOwner(owner, 'replaced-by-run');
        return stopWords.open(runId!, owner);
      case 'stops': {
        const { runId: stopped, command } = payload as { runId: number; command: string };
        if (command === 'stop') stopWords.raise(stopped, 'page');
        return undefined;
      }
      case 'releases':
        stopWords.raiseOwner(owner, 'closed');
        return undefined;
      default:
        return undefined;
    }
  }

  /** One engine call: a run gets its id (and its listener, and its stop word) before the worker hears of it. */
  async function call(name: EngineCallName, payload: unknown, args: unknown[]): Promise<unknown> {
    const entry = engineCall(name)!;
    const { folder, onEvent, team, teamAlarm, owner } = readExtras(entry, args);
    const runId = entry.events || entry.newRun ? nextRunId++ : undefined;
    const runs = entry.events ? listeners[entry.events] : null;
    if (runs && onEvent) runs.set(runId!, onEvent);
    const stopWord = stopWordFor(entry, payload, runId, owner ?? '');
    // Nothing to give back when no worker runs (it died, or never started).
    if (entry.stopWord === 'releases' && !worker) return {};
    try {
      return await send({ call: name, payload, runId, folder, team, teamAlarm, owner, stopWord }, team);
    } catch (error) {
      runs?.delete(runId!);
      if (stopWord) stopWords.close(runId!);
      throw error;
    }
  }

  return {
    ...engineMethods(call),
    helpTrain: (port) => send({ call: 'helpTrain', port }, [port]),
    async close() {
      const current = worker;
      worker = null;
      if (current) await current.terminate();
      failAll('the engine was closed');
    },
  };
}
