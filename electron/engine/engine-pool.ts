/**
 * A pool of engine workers behind the one EngineHost interface, so handlers, main and the browser host see no
 * difference: each member is an engine host with its own worker thread (createEngineHost), and each call goes where
 * its entry's route says (engine-calls.ts). Training runs keep state in their worker, so every training request goes
 * to member 0 and run ids stay that member's; forward passes, probes and loss surfaces go to the member with the least
 * in flight, a running training counting as one request on member 0, so a long loss surface or a training run does
 * not hold up the maps a stroke repaints. A member whose worker dies answers its requests with an error (engine-host
 * does that) and is started afresh on its next request. A network's training run borrows every other member too: each
 * gets a port to member 0 and computes its slice of every batch (parallel-training.ts), between its own requests.
 * While a run has helpers, any member's worker exiting sets the run's alarm word: a member blocked at a batch norm
 * barrier waiting for the dead one (its own event loop stopped, so it cannot hear a port close) gives up and the run
 * ends with an error.
 */
import os from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { isRunEnd } from '../contract/run-end';
import { raiseAlarm } from '../training/batch-stats-barrier';
import { readExtras, writeExtras, type Extras } from './engine-call-entry';
import { engineCall, type EngineCallName } from './engine-calls';
import { callByName, createEngineHost, engineMethods, type EngineHost, type EngineHostOptions } from './engine-host';

export interface EnginePoolOptions extends EngineHostOptions {
  /** Workers in the pool: at least 1, at most the machine's cores (the default). */
  size?: number;
}

export interface EnginePool extends EngineHost {
  /** How many workers the pool runs. */
  readonly size: number;
  /** The worker thread of each member now running (undefined before its first request or after it died). */
  workers(): (Worker | undefined)[];
}

/** The same arguments with the run's listener wrapped: `ended` is told first, with its kind, when the run's last event comes. */
function onRunEnd(extras: Extras, ended: (kind: string) => void): Extras {
  const onEvent = extras.onEvent as ((event: { kind: string }) => void) | undefined;
  const wrapped = (event: { kind: string }) => {
    if (isRunEnd(event.kind)) ended(event.kind);
    onEvent?.(event);
  };
  return { ...extras, onEvent: wrapped as Extras['onEvent'] };
}

/** The pool size for a request of `wanted` workers (undefined: all cores), clamped to 1..cores. */
export function poolSize(wanted?: number, cores = os.availableParallelism()): number {
  const max = Math.max(1, cores);
  if (wanted === undefined || !Number.isFinite(wanted)) return max;
  return Math.min(max, Math.max(1, Math.floor(wanted)));
}

export function createEnginePool(workerFile: string | URL, options: EnginePoolOptions = {}): EnginePool {
  const size = poolSize(options.size);
  const threads: (Worker | undefined)[] = new Array(size).fill(undefined);
  const inFlight: number[] = new Array(size).fill(0);
  /** The alarm word of each split training run under way. */
  const alarms = new Set<Int32Array>();
  const members = Array.from({ length: size }, (_, i) => createEngineHost(workerFile, {
    ...options,
    onWorker: (worker) => {
      threads[i] = worker;
      worker.once('exit', () => {
        if (threads[i] === worker) threads[i] = undefined;
        for (const alarm of alarms) raiseAlarm(alarm);
      });
    },
  }));

  let training = 0;
  const load = (i: number) => inFlight[i] + (i === 0 ? training : 0);

  /** The member with the least in flight; ties go to the later member, away from the trainer. */
  function pick(): number {
    let best = size - 1;
    for (let i = size - 2; i >= 0; i--) if (load(i) < load(best)) best = i;
    return best;
  }

  async function onMember<T>(run: (host: EngineHost) => Promise<T>): Promise<T> {
    const i = pick();
    inFlight[i]++;
    try {
      return await run(members[i]);
    } finally {
      inFlight[i]--;
    }
  }

  const trainer = members[0];

  /** A port to each other member, now serving batch slices; a member that cannot start is left out. */
  async function lendHelpers(): Promise<MessagePort[]> {
    const lent = await Promise.all(members.slice(1).map(async (member) => {
      const { port1, port2 } = new MessageChannel();
      try {
        await member.helpTrain(port2);
        return port1;
      } catch {
        port1.close();
        return null;
      }
    }));
    return lent.filter((port) => port !== null);
  }
  /** Calls `name` on `member` with the request and further arguments its entry asks for. */
  const callOn = (member: EngineHost, name: EngineCallName, request: unknown, extras: Extras) =>
    callByName(member, name, request, writeExtras(engineCall(name)!, extras));

  /** A lab training run counts as one request on the trainer until it ends. */
  async function countedRun(name: EngineCallName, request: unknown, extras: Extras): Promise<unknown> {
    training++;
    let ended = false;
    const end = () => {
      if (!ended) training--;
      ended = true;
    };
    try {
      return await callOn(trainer, name, request, onRunEnd(extras, end));
    } catch (error) {
      end();
      throw error;
    }
  }

  /** A network's training run with every other member lent to it; an alarm word it hears if one of them dies. */
  async function teamRun(name: EngineCallName, request: unknown, extras: Extras): Promise<unknown> {
    const team = await lendHelpers();
    if (team.length === 0) return callOn(trainer, name, request, extras);
    const alarmBuffer = new SharedArrayBuffer(4), alarm = new Int32Array(alarmBuffer);
    alarms.add(alarm);
    try {
      const ended = (kind: string) => {
        alarms.delete(alarm);
        // A run that failed (its leader's worker died, say) may have left a helper waiting at a barrier.
        if (kind === 'error') raiseAlarm(alarm);
      };
      return await callOn(trainer, name, request, { ...onRunEnd(extras, ended), team, teamAlarm: alarmBuffer });
    } catch (error) {
      alarms.delete(alarm);
      throw error;
    }
  }

  /** Each call where its entry's route says: the least busy member, or the trainer, where runs keep their state. */
  function route(name: EngineCallName, request: unknown, args: unknown[]): Promise<unknown> {
    const entry = engineCall(name)!;
    const extras = readExtras(entry, args);
    switch (entry.route) {
      case 'any':
        return onMember((host) => callOn(host, name, request, extras));
      case 'trainer':
        return callOn(trainer, name, request, extras);
      case 'trainer-counted':
        return countedRun(name, request, extras);
      case 'trainer-team':
        return teamRun(name, request, extras);
    }
  }

  return {
    size,
    workers: () => [...threads],
    ...engineMethods(route),
    async close() {
      await Promise.all(members.map((host) => host.close()));
    },
  };
}
