/** Messages between the engine host (main side) and its worker thread. */
import type { ApiError, TrainingEvent } from '../contract/contract';
import type { NetTrainingEvent } from '../contract/net-contract';
import type { MessagePort } from 'node:worker_threads';
import type { EngineCallName } from './engine-calls';

/**
 * One engine call (engine-calls.ts names its payload and work). `runId`: the run it starts or loads; `folder`: the
 * dataset's folder when the call reads it; `team`: ports to other engine workers that lend a hand with each batch
 * (parallel-training.ts); `teamAlarm`: one shared word the pool sets when a worker of the team dies (batch-stats-barrier.ts);
 * `owner`: the page the call is for (held-nets.ts); `stopWord`: set by the main side to stop the run inside a batch
 * (stop-words.ts).
 */
export interface CallMessage {
  id: number;
  call: EngineCallName;
  payload: unknown;
  runId?: number;
  folder?: string | null;
  team?: MessagePort[];
  teamAlarm?: SharedArrayBuffer;
  owner?: string;
  stopWord?: SharedArrayBuffer;
}
/** This worker computes slices of batches sent over `port` by the worker that runs the training. */
export interface HelpTrainMessage {
  id: number;
  call: 'helpTrain';
  port: MessagePort;
}
export type WorkerRequest = CallMessage | HelpTrainMessage;

export type WorkerReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ApiError }
  | { kind: 'training'; event: TrainingEvent }
  | { kind: 'netTraining'; event: NetTrainingEvent };
