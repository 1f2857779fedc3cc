/**
 * The table of engine calls: one entry per call the engine worker answers, and the only place a call is described
 * on the main side. The host's methods, the pool's routing, the router's handlers, the queue's prices, the browser
 * connection's peek and the worker's dispatch are all read from it. Adding an engine call is an entry here (its
 * request schema and response type are the contract's, contract.ts) and the core function it calls.
 */
import { checkBudget, forwardCost, lossSurfaceCost, probeCost, trainingStepCost, type Cost } from '../../core/budget';
import { ConvLabError } from '../../core/errors';
import { probeUnit } from '../../core/index';
import type { CallName, RequestOf, ResponseOf } from '../contract/contract';
import { explorerForward } from '../explorer/network-forward';
import { networkForwardJob } from '../explorer/network-job';
import { LoadedNet } from '../training/loaded-net';
import { lossSurface } from '../training/loss-surface';
import { NetTrainingRun } from '../training/net-training-run';
import { CLOSED_PAGE, REPLACED_BY_LOAD, REPLACED_BY_RUN } from '../training/stop-words';
import { TrainingRun } from '../training/training-run';
import type { EngineCall, JobSpec, WorkerRoom } from './engine-call-entry';

/** The request's structure with its numbers left out: typed arrays by length only. */
function structure(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Float32Array ? `f32×${item.length}` : item));
}

/**
 * A lab call the queue prices from core/budget.ts: `cost` reads only the header's shapes (so the connection can
 * price it undecoded), `what` names it in a budget refusal, and `question` is the request with what a newer request
 * may change left out: the same question from the same page replaces the older one still waiting.
 */
function priced<K extends CallName>(call: K, what: string, cost: (request: RequestOf<K>) => Cost, question: (request: RequestOf<K>) => unknown) {
  return {
    headerCost: cost,
    job(request: RequestOf<K>): JobSpec {
      const price = cost(request);
      checkBudget(price, what);
      return { call, cost: price, key: `${call} ${structure(question(request))}` };
    },
  };
}

/** The network run a request names, whichever page holds it, or a refusal that names the run and what was asked of it. */
function netRunNamed(room: WorkerRoom, runId: number, missing: string): NetTrainingRun | LoadedNet {
  const net = room.nets.byId(runId);
  if (!net) throw new ConvLabError('range', `training run ${runId} ${missing}`);
  return net;
}

/** Stops `held` if it is training, saying why in its 'stopped' event (a page's net replaced or given back). */
function stopHeld(held: NetTrainingRun | LoadedNet | undefined, reason: string): void {
  if (held instanceof NetTrainingRun) held.stopFor(reason);
}

export const ENGINE_CALLS = {
  forward: {
    route: 'any',
    ...priced('forward', 'this forward pass', (r) => forwardCost(r.input.shape, r.layers), (r) => r),
    // core's maps have a batch of any size; these have one image, as the contract says.
    work: ({ input, layers }, room) => ({ outputs: room.stacks.run(input, layers).outputs }) as ResponseOf<'forward'>,
  },
  /** Another page's maps, or the same page's next brush step: `since` says nothing about the question asked. */
  forwardWindows: {
    route: 'any',
    ...priced('forwardWindows', 'this forward pass', (r) => forwardCost((r.input ?? r.inputWindow!).shape, r.layers), (r) => ({ ...r, since: null })),
    // Only the windows a dab changed leave the worker (transferred, not copied), when the page holds the rest.
    work: ({ input, inputWindow, layers, since }, room) => room.stacks.windows((input ?? inputWindow)!, layers, since) as ResponseOf<'forwardWindows'>,
  },
  probe: {
    route: 'any',
    // Another unit of the same stack is the pointer moving on: the newer one replaces the older.
    ...priced('probe', 'this probe', (r) => probeCost(r.input.shape, r.layers, r.layer), (r) => ({ ...r, unit: null })),
    work: ({ input, layers, layer, unit }) => probeUnit(input, layers, layer, unit) as ResponseOf<'probe'>,
  },
  lossSurface: {
    route: 'any',
    ...priced('lossSurface', 'this loss surface', (r) => lossSurfaceCost(r.x.shape, r.kernel, r.size), (r) => ({ ...r, include: null, bias: null })),
    work: (request) => lossSurface(request),
  },
  trainStart: {
    route: 'trainer-counted',
    events: 'training',
    // A run is checked one step at a time: a step above the budget would make pause and stop wait on it.
    check: (r) => checkBudget(trainingStepCost(r.x.shape, r.kernel), 'one training step'),
    work(request, room, job) {
      room.labRun?.stop();
      const run = new TrainingRun(job.runId, request, (event) => room.emit('training', event));
      room.labRun = run;
      job.afterReply(() => run.start());
      return { runId: job.runId };
    },
  },
  trainControl: {
    route: 'trainer',
    work({ runId, command }, room) {
      if (!room.labRun || room.labRun.id !== runId) throw new ConvLabError('range', `training run ${runId} is not running`);
      return { state: room.labRun.control(command) };
    },
  },
  explorerForward: {
    route: 'any',
    job: networkForwardJob,
    work: (request) => explorerForward(request),
  },
  /**
   * `folder` holds the dataset's four files, vouched for by the dataset service; the worker reads them itself, once
   * per folder into shared memory, leased by the run until it ends. The run replaces its page's net only.
   */
  netTrainingStart: {
    route: 'trainer-team',
    events: 'netTraining',
    dataset: 'required',
    owner: true,
    stopWord: 'opens',
    async work(request, room, job) {
      try {
        const lease = await room.datasets.acquire(job.folder!);
        let run: NetTrainingRun;
        try {
          run = new NetTrainingRun(job.runId, request.settings, lease.train, lease.test, (event) => room.emit('netTraining', event), job.team, job.teamAlarm,
            job.stopWord);
        } catch (error) {
          lease.release();
          throw error;
        }
        stopHeld(room.nets.hold(job.owner, run), REPLACED_BY_RUN);
        job.afterReply(() => void run.start().finally(() => lease.release()));
        return { runId: job.runId };
      } catch (error) {
        // The helpers offered for the run go back to their own work.
        for (const port of job.team) port.close();
        throw error;
      }
    },
  },
  // A network's run keeps its weights in its worker: its controls and questions go where it runs.
  netTrainingControl: {
    route: 'trainer',
    stopWord: 'stops',
    work: ({ runId, command }, room) => ({ state: netRunNamed(room, runId, 'is not running').control(command) }),
  },
  netTrainingPredict: {
    route: 'trainer',
    work: ({ runId, image }, room) => netRunNamed(room, runId, 'has no network to ask').predict(image),
  },
  netTrainingSnapshot: {
    route: 'trainer',
    work: ({ runId }, room) => netRunNamed(room, runId, 'has no network to save').snapshot(),
  },
  netTrainingUnitGradient: {
    route: 'trainer',
    work: ({ runId, ...query }, room) => netRunNamed(room, runId, 'has no network to probe').unitGradient(query),
  },
  /**
   * A saved net into the worker, ready to classify; with the dataset's folder its test images can be asked for too.
   * It replaces its page's net once built: a net that fails to open leaves the page's run going.
   */
  netTrainingLoad: {
    route: 'trainer',
    newRun: true,
    dataset: 'optional',
    owner: true,
    async work(request, room, job) {
      // The test images are a convenience here: a net without them still classifies drawings. The loaded net keeps
      // its own reference to them, so the lease is given back at once.
      const test = job.folder ? await room.datasets.acquire(job.folder).then((d) => (d.release(), d.test), () => null) : null;
      const loaded = new LoadedNet(job.runId, request.net, test);
      stopHeld(room.nets.hold(job.owner, loaded), REPLACED_BY_LOAD);
      return { runId: job.runId };
    },
  },
  /** The page is gone (net-runs.ts): its net is dropped, and stopped if it is training. */
  netTrainingRelease: {
    route: 'trainer',
    owner: true,
    stopWord: 'releases',
    work(_request, room, job) {
      stopHeld(room.nets.release(job.owner), CLOSED_PAGE);
      return {};
    },
  },
} satisfies { [K in CallName]?: EngineCall<K> };

export type EngineCalls = typeof ENGINE_CALLS;
export type EngineCallName = keyof EngineCalls;
export const ENGINE_CALL_NAMES = Object.keys(ENGINE_CALLS) as EngineCallName[];

/** The entry of an engine call by a name from the wire, or undefined for any other name. */
export function engineCall(name: string): EngineCall<never> | undefined {
  return Object.hasOwn(ENGINE_CALLS, name) ? (ENGINE_CALLS[name as EngineCallName] as unknown as EngineCall<never>) : undefined;
}

/**
 * The multiply-adds an engine call asks for, read from its header alone (its arrays still undecoded), or null when
 * the header is not one to price: the connection uses this to hold a page's heavy requests back before paying to
 * decode and validate them. The full checks and the budget still run when the request is taken.
 */
export function headerMultiplyAdds(call: string, request: unknown): number | null {
  const cost = engineCall(call)?.headerCost;
  if (!cost) return null;
  try {
    const { multiplyAdds } = cost(request as never);
    return Number.isFinite(multiplyAdds) && multiplyAdds >= 0 ? multiplyAdds : null;
  } catch {
    return null;
  }
}

/** Engine calls whose newer request makes an identical older one useless, priced from the header (others, such as file calls, all count). */
export const HEADER_PRICED_CALLS: ReadonlySet<string> = new Set(ENGINE_CALL_NAMES.filter((name) => engineCall(name)?.headerCost));
