/**
 * What one engine call is made of (one entry of the table in engine-calls.ts): where the pool sends it, what the
 * queue charges for it, which events its run reports, whether it needs the dataset's folder, and the work the worker
 * thread does. The host, the pool, the handlers, the connection's peek and the worker's dispatch all read entries.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Cost } from '../../core/budget';
import type { StackCache } from '../../core/lab/incremental-stack';
import type { CallName, EventName, Events, RequestOf, ResponseOf } from '../contract/contract';
import type { HeldNets } from '../training/held-nets';
import type { LoadedNet } from '../training/loaded-net';
import type { NetTrainingRun } from '../training/net-training-run';
import type { SharedDatasets } from '../training/shared-datasets';
import type { TrainingRun } from '../training/training-run';

/**
 * Where the pool sends a call: `any`, the member with the least in flight; `trainer`, member 0, where runs keep their
 * state; `trainer-counted`, member 0, the run counting as one request there until it ends; `trainer-team`, member 0,
 * with every other member lent to it as helpers for each batch (parallel-training.ts).
 */
export type Route = 'any' | 'trainer' | 'trainer-counted' | 'trainer-team';

/** The events a run may report (contract.ts's Events): the lab's kernel training and a network's training. */
export type RunEventName = Extract<EventName, 'training' | 'netTraining'>;

/**
 * The worker thread's state that calls share: the lab's kept maps, the lab's run, each page's network (a run or a
 * net opened from a lab, held-nets.ts), the dataset read once per folder into shared memory (shared-datasets.ts).
 */
export interface WorkerRoom {
  stacks: StackCache;
  labRun: TrainingRun | null;
  nets: HeldNets<NetTrainingRun | LoadedNet>;
  datasets: SharedDatasets;
  emit<E extends RunEventName>(event: E, payload: Events[E]): void;
}

/** What came with one request besides its payload, and what happens once it is answered. */
export interface WorkerJob {
  runId: number;
  folder: string | null;
  team: MessagePort[];
  teamAlarm?: SharedArrayBuffer;
  /** The page the call is for ('' for a host with one page): its network replaces only that page's. */
  owner: string;
  /** The run's stop word, set by the main side to stop it inside a batch (stop-words.ts). */
  stopWord?: SharedArrayBuffer;
  /** Runs `then` right after the answer is posted: a run starts reporting only once its id is known. */
  afterReply(then: () => void): void;
}

/** What the queue needs to know of a request: its call, what it costs, and which older request it replaces. */
export interface JobSpec {
  call: string;
  cost: Cost;
  /** Requests with the same key from the same page ask the same question with newer values. */
  key: string;
}

/** One engine call. `K` is its name in the contract, which holds its request schema and response type. */
export interface EngineCall<K extends CallName> {
  route: Route;
  /** A call that waits its turn in the engine queue: its price and supersede key, checked against the budget. */
  job?: (request: RequestOf<K>) => JobSpec;
  /**
   * Its cost from the header alone (arrays still undecoded): the browser connection holds a page's heavy requests
   * back with it, and drops an unread older one the same page replaced.
   */
  headerCost?: (request: RequestOf<K>) => Cost;
  /** Checked before the call is sent (a training run is priced one step at a time). */
  check?: (request: RequestOf<K>) => void;
  /** The run reports through this event; the host gives it a run id and the event's listener. */
  events?: RunEventName;
  /** It gets a run id without reporting events (a saved net loaded into the worker). */
  newRun?: true;
  /** The call is a page's own (its network, held-nets.ts): the host method takes the page's name last. */
  owner?: true;
  /**
   * What the host does to the runs' stop words (stop-words.ts) before the worker hears of the call: `opens`, a word
   * for the new run, once the page's run going is told it is replaced; `stops`, sets the run's word when the command
   * is stop; `releases`, sets every word of the page (it is gone), and answers at once when no worker runs.
   */
  stopWord?: 'opens' | 'stops' | 'releases';
  /** The dataset's folder: `required` refuses the call without a complete dataset, `optional` sends null then. */
  dataset?: 'required' | 'optional';
  /** The worker's side: the answer, or a promise of it; a thrown ConvLabError reaches the page as an engine error. */
  work(request: RequestOf<K>, room: WorkerRoom, job: WorkerJob): ResponseOf<K> | Promise<ResponseOf<K>>;
}

type FolderArg<E> = E extends { dataset: 'required' } ? [folder: string] : E extends { dataset: 'optional' } ? [folder: string | null] : [];
type ListenerArg<E> = E extends { events: infer N extends RunEventName } ? [onEvent: (event: Events[N]) => void] : [];
type TeamArg<E> = E extends { route: 'trainer-team' } ? [team?: MessagePort[], teamAlarm?: SharedArrayBuffer] : [];
type OwnerArg<E> = E extends { owner: true } ? [owner?: string] : [];
/** A host method's arguments after the request, from its entry: the folder, the run's listener, the run's team, the page. */
export type ExtraArgs<E> = [...FolderArg<E>, ...ListenerArg<E>, ...TeamArg<E>, ...OwnerArg<E>];

/** The arguments after the request as named values (the host and the pool read them this way). */
export interface Extras {
  folder: string | null;
  onEvent?: (event: never) => void;
  team: MessagePort[];
  teamAlarm?: SharedArrayBuffer;
  owner?: string;
}

/** Reads a host method's arguments after the request, in the order ExtraArgs gives them. */
export function readExtras(call: EngineCall<never>, args: readonly unknown[]): Extras {
  let at = 0;
  const folder = call.dataset ? (args[at++] as string | null) : null;
  const onEvent = call.events ? (args[at++] as (event: never) => void) : undefined;
  const team = call.route === 'trainer-team' ? ((args[at++] as MessagePort[] | undefined) ?? []) : [];
  const teamAlarm = call.route === 'trainer-team' ? (args[at++] as SharedArrayBuffer | undefined) : undefined;
  const owner = call.owner ? (args[at] as string | undefined) : undefined;
  return { folder, onEvent, team, teamAlarm, ...(call.owner ? { owner } : {}) };
}

/** The same arguments back in order, for a pool that passes a call on to one member. */
export function writeExtras(call: EngineCall<never>, extras: Extras): unknown[] {
  const args: unknown[] = [];
  if (call.dataset) args.push(extras.folder);
  if (call.events) args.push(extras.onEvent);
  if (call.route === 'trainer-team') args.push(extras.team, extras.teamAlarm);
  if (call.owner) args.push(extras.owner);
  return args;
}
