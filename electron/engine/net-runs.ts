/**
 * Network training kept per page, as the kernel training is (tab-guard.ts): each page (a browser tab, the desktop
 * window) has at most one network in the engine, a run or a net opened from a lab, which only that page can see,
 * control, ask or save; another page's run id answers as an unknown one does. A page's new run replaces only its
 * own, whose 'stopped' event says so; a page that closes has its run stopped and its net dropped. The host trains at
 * most MAX_GOING_RUNS runs at once, each priced before it starts (training-budget.ts) within one memory budget.
 */
import { isRunEnd } from '../contract/run-end';
import type { NetTrainingEvent } from '../contract/net-contract';
import { ServiceError, type CallContext, type ClientInfo, type Handlers } from '../services/router';
import { checkKeptPrice, checkTrainingPrice, priceTraining, type HeldByOthers, type TrainingPrice } from '../training/training-budget';
import { ownerOf } from './engine-handlers';

/** Runs the host trains at once, over every page: enough for a few tabs side by side on a two-core machine. */
export const MAX_GOING_RUNS = 4;

/** The calls on a page's network: a run, or a net opened from a lab. */
export type NetCalls = 'netTrainingStart' | 'netTrainingControl' | 'netTrainingPredict' | 'netTrainingSnapshot' | 'netTrainingUnitGradient' |
  'netTrainingLoad' | 'netTrainingRelease';

/** What the worker answers for an unknown run id, by call: another page's run is answered the same way. */
const UNSEEN = {
  netTrainingControl: 'is not running',
  netTrainingPredict: 'has no network to ask',
  netTrainingSnapshot: 'has no network to save',
  netTrainingUnitGradient: 'has no network to probe',
} as const satisfies Partial<Record<NetCalls, string>>;

/**
 * The network calls kept per page, over the engine table's handlers of them (engine-handlers.ts), which name the
 * page to the engine and refuse a start without the dataset. `maxGoing` bounds the runs going at once (tests lower it).
 */
export function createNetRunHandlers(engine: Pick<Handlers, NetCalls>, maxGoing = MAX_GOING_RUNS): Pick<Handlers, NetCalls> {
  /** Which page holds each run id it started or loaded, until replaced or released. */
  const owners = new Map<number, string>();
  /** Each page's run or net in the engine, with its price (what it keeps counts against the budget once it has ended). */
  const held = new Map<string, { runId: number; price: TrainingPrice }>();
  /** Each page's run that has not ended, with its price. */
  const going = new Map<string, { price: TrainingPrice }>();
  const watched = new WeakSet<ClientInfo>();

  /** Tells the engine `context`'s page is gone: it stops the page's run and drops its net. */
  const release = (context: CallContext) => void Promise.resolve().then(() => engine.netTrainingRelease({}, context)).catch(() => undefined);

  function watch(context: CallContext, owner: string): void {
    const client: ClientInfo | undefined = context.client;
    if (!client || watched.has(client)) return;
    watched.add(client);
    client.signal.addEventListener('abort', () => {
      forget(owner);
      // Nobody is left to watch it: the engine stops the run (saying its page was closed) and drops the net.
      release(context);
    }, { once: true });
  }

  /** `owner` no longer holds its net (replaced, or the page is gone). */
  function forget(owner: string): void {
    const net = held.get(owner);
    if (net !== undefined) owners.delete(net.runId);
    held.delete(owner);
  }

  function hold(owner: string, runId: number, price: TrainingPrice): void {
    forget(owner);
    held.set(owner, { runId, price });
    owners.set(runId, owner);
  }

  /** What the other pages hold: each going run at its price, each other net at what it keeps (the page's own is replaced). */
  function heldByOthers(owner: string): HeldByOthers {
    const others = { bytes: 0, runs: 0, nets: 0 };
    for (const [o, run] of going) {
      if (o === owner) continue;
      others.bytes += run.price.bytes;
      others.runs++;
    }
    for (const [o, net] of held) {
      if (o === owner || going.has(o)) continue;
      others.bytes += net.price.keptBytes;
      others.nets++;
    }
    return others;
  }

  /** Refuses a run beyond the host's bound or its memory budget. */
  function checkRoom(owner: string, price: TrainingPrice): void {
    const others = heldByOthers(owner);
    if (others.runs >= maxGoing) {
      throw new ServiceError('busy', `${others.runs} training runs are going on this host, the most it trains at once (${maxGoing}); ` +
        'wait for one to end, or stop one in its tab');
    }
    checkTrainingPrice(price, others);
  }

  /** Refuses a run id `context`'s page does not hold, as the engine refuses an unknown one. */
  function checkOwn(call: keyof typeof UNSEEN, runId: number, context: CallContext): void {
    const owner = owners.get(runId);
    if (owner !== undefined && owner !== ownerOf(context)) throw new ServiceError('engine', `training run ${runId} ${UNSEEN[call]}`);
  }

  return {
    async netTrainingStart(request, context) {
      const owner = ownerOf(context);
      watch(context, owner);
      const price = priceTraining(request.settings);
      checkRoom(owner, price);
      // Reserved before any wait, so two starts at once cannot both take the last place.
      const previous = going.get(owner), slot = { price };
      going.set(owner, slot);
      const relay: CallContext['emit'] = (event, payload) => {
        if (event === 'netTraining' && isRunEnd((payload as NetTrainingEvent).kind) && going.get(owner) === slot) going.delete(owner);
        context.emit(event, payload);
      };
      try {
        if (context.client?.signal.aborted) throw new ServiceError('busy', 'the page that asked for this run has closed');
        // The engine's handler refuses a start without the dataset, names the page and sends the run's events on.
        const started = await engine.netTrainingStart(request, { ...context, emit: relay });
        hold(owner, started.runId, price);
        // The page closed while the run was starting: its release may have reached the engine first.
        if (context.client?.signal.aborted) release(context);
        return started;
      } catch (error) {
        // The page's earlier run, if any, was not replaced: it still counts.
        if (going.get(owner) === slot) {
          if (previous) going.set(owner, previous);
          else going.delete(owner);
        }
        throw error;
      }
    },
    // The calls on a run by its id: the page's own, or refused as an unknown id is.
    netTrainingControl: async (request, context) => (checkOwn('netTrainingControl', request.runId, context), engine.netTrainingControl(request, context)),
    netTrainingPredict: async (request, context) => (checkOwn('netTrainingPredict', request.runId, context), engine.netTrainingPredict(request, context)),
    netTrainingSnapshot: async (request, context) => (checkOwn('netTrainingSnapshot', request.runId, context), engine.netTrainingSnapshot(request, context)),
    netTrainingUnitGradient: async (request, context) =>
      (checkOwn('netTrainingUnitGradient', request.runId, context), engine.netTrainingUnitGradient(request, context)),
    async netTrainingLoad(request, context) {
      const owner = ownerOf(context);
      watch(context, owner);
      const price = priceTraining(request.net.settings);
      checkKeptPrice(price, heldByOthers(owner));
      // The dataset is optional here: without it a loaded net still classifies drawings.
      const loaded = await engine.netTrainingLoad(request, context);
      hold(owner, loaded.runId, price);
      return loaded;
    },
    /** The page gives its network back: it no longer counts against the budget. */
    async netTrainingRelease(request, context) {
      forget(ownerOf(context));
      return engine.netTrainingRelease(request, context);
    },
  };
}
