/**
 * The engine's waiting room, between the handlers and the engine workers. Bounded: when full it answers `busy`
 * instead of growing. Fair: each page has its own line and the lanes take pages in turn, so one page's heavy work
 * never holds another's behind it. Superseding: a newer request of the same call from the same page replaces its
 * older one still waiting (a drawing only needs its latest maps). A page that goes away takes its waiting work
 * with it. Light requests run in their own lane, so a repaint never waits behind a long computation.
 */
import type { JobSpec } from './engine-call-entry';
export type { JobSpec } from './engine-call-entry';
import type { EngineHost } from './engine-host';
import { ServiceError, type ClientInfo } from '../services/router';

export interface Lane {
  name: string;
  engine: EngineHost;
  /** Requests up to this many multiply-adds may run here (Infinity: any); the first lane that fits takes it. */
  maxMultiplyAdds: number;
  /** How many requests run at once (one per worker thread behind `engine`). */
  concurrency?: number;
}

/** Below this many multiply-adds (about 40 ms of the engine) a request is interactive: a repaint, a probe. */
export const INTERACTIVE_MAX_MULTIPLY_ADDS = 50_000_000;

export interface QueueOptions {
  lanes: Lane[];
  /** Most requests waiting in one lane (each lane its own: a full heavy lane never refuses a repaint). */
  maxWaiting: number;
  /** Most requests one page may have waiting in one lane. */
  maxWaitingPerClient: number;
}

export interface EngineQueue {
  /** Runs `work` on the engine of the lane that fits `cost`, when its turn comes. */
  run<T>(client: ClientInfo | undefined, job: JobSpec, work: (engine: EngineHost) => Promise<T>): Promise<T>;
  /** Requests waiting and running, per lane (for tests and measurements). */
  stats(): Record<string, { waiting: number; running: number }>;
}

interface Job {
  clientId: number;
  key: string;
  start: (engine: EngineHost) => void;
  reject: (error: Error) => void;
}
interface LaneState {
  lane: Lane;
  running: number;
  /** One line per page, taken in turn. */
  lines: Map<number, Job[]>;
  turn: number[];
}

/** A request without a page (the desktop window before it says who it is) shares one line. */
const NO_CLIENT = 0;

export function createEngineQueue(options: QueueOptions): EngineQueue {
  const lanes: LaneState[] = options.lanes.map((lane) => ({ lane, running: 0, lines: new Map(), turn: [] }));
  const watched = new Set<number>();

  const waitingIn = (state: LaneState) => [...state.lines.values()].reduce((sum, line) => sum + line.length, 0);

  function remove(clientId: number, keep: (job: Job) => boolean, reason: () => ServiceError): void {
    for (const state of lanes) {
      const line = state.lines.get(clientId);
      if (!line) continue;
      const kept = line.filter((job) => keep(job) || (job.reject(reason()), false));
      if (kept.length > 0) state.lines.set(clientId, kept);
      else {
        state.lines.delete(clientId);
        state.turn = state.turn.filter((id) => id !== clientId);
      }
    }
  }

  function pump(state: LaneState): void {
    const limit = state.lane.concurrency ?? 1;
    while (state.running < limit && state.turn.length > 0) {
      const clientId = state.turn.shift()!;
      const line = state.lines.get(clientId)!;
      const job = line.shift()!;
      if (line.length > 0) state.turn.push(clientId);
      else state.lines.delete(clientId);
      state.running++;
      job.start(state.lane.engine);
    }
  }

  return {
    run(client, { call, cost, key }, work) {
      const clientId = client?.id ?? NO_CLIENT;
      if (client?.signal.aborted) return Promise.reject(new ServiceError('cancelled', 'the page that asked has gone'));
      const state = lanes.find((s) => cost.multiplyAdds <= s.lane.maxMultiplyAdds) ?? lanes[lanes.length - 1];
      // The same page's older request of the same call, still waiting, is of no use once this one arrives.
      remove(clientId, (job) => job.key !== key, () => new ServiceError('cancelled', `${call}: replaced by a newer ${call} request from the same page`));
      const total = waitingIn(state);
      if (total >= options.maxWaiting || (state.lines.get(clientId)?.length ?? 0) >= options.maxWaitingPerClient) {
        return Promise.reject(
          new ServiceError('busy', `${call}: the engine is busy (${total} requests waiting, at most ${options.maxWaiting} in its ${state.lane.name} lane; this page may have ${options.maxWaitingPerClient}); try again in a moment`),
        );
      }
      if (client && !watched.has(clientId)) {
        watched.add(clientId);
        client.signal.addEventListener('abort', () => {
          watched.delete(clientId);
          remove(clientId, () => false, () => new ServiceError('cancelled', 'the page that asked has gone'));
        }, { once: true });
      }
      return new Promise((resolve, reject) => {
        const job: Job = {
          clientId,
          key,
          reject,
          start: (engine) => {
            // A page gone while this waited: nobody would read the answer.
            const started = client?.signal.aborted
              ? Promise.reject(new ServiceError('cancelled', 'the page that asked has gone'))
              : Promise.resolve().then(() => work(engine));
            started.then(resolve, reject).finally(() => {
              state.running--;
              pump(state);
            });
          },
        };
        const line = state.lines.get(clientId);
        if (line) line.push(job);
        else {
          state.lines.set(clientId, [job]);
          state.turn.push(clientId);
        }
        pump(state);
      });
    },
    stats() {
      return Object.fromEntries(lanes.map((s) => [s.lane.name, { waiting: waitingIn(s), running: s.running }]));
    },
  };
}

/** The usual two lanes: interactive requests on their own worker, everything else on the main one. */
export function twoLanes(interactive: EngineHost, heavy: EngineHost, heavyConcurrency = 1): Lane[] {
  return [
    { name: 'interactive', engine: interactive, maxMultiplyAdds: INTERACTIVE_MAX_MULTIPLY_ADDS },
    // A pool runs several heavy requests at once; the callers leave a core for the interactive lane and the host.
    { name: 'heavy', engine: heavy, maxMultiplyAdds: Infinity, concurrency: heavyConcurrency },
  ];
}
