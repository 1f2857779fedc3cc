/** Messages between the engine host (main side) and its worker thread. */
import type { ApiError, RequestOf, TrainingEvent } from '../contract/contract';
import type { NetTrainingEvent } from '../contract/net-contract';
import type { MessagePort } from 'node:worker_threads';

export type WorkerRequest =
  | { id: number; kind: 'forward'; payload: RequestOf<'forward'> }
  | { id: number; kind: 'forwardWindows'; payload: RequestOf<'forwardWindows'> }
  | { id: number; kind: 'probe'; payload: RequestOf<'probe'> }
  | { id: number; kind: 'trainStart'; runId: number; payload: RequestOf<'trainStart'> }
  | { id: number; kind: 'trainControl'; payload: RequestOf<'trainControl'> }
  | { id: number; kind: 'lossSurface'; payload: RequestOf<'lossSurface'> }
  | { id: number; kind: 'networkForward'; payload: RequestOf<'networkForward'> }
  /** `folder` holds the dataset's four files, vouched for by the dataset service; the worker reads them itself. */
  /**
   * `team`: ports to other engine workers that lend a hand with each batch (parallel-training.ts); `teamAlarm`: one
   * shared word the pool sets when a worker of the team dies (batch-stats-barrier.ts).
   */
  /**
   * `owner`: the page the run belongs to (held-nets.ts): it replaces that page's net only ('' when absent);
   * `stopWord`: set by the main side to stop the run inside a batch (stop-words.ts).
   */
  | { id: number; kind: 'netTrainStart'; runId: number; folder: string; payload: RequestOf<'netTrainStart'>; team?: MessagePort[]; teamAlarm?: SharedArrayBuffer;
    owner?: string; stopWord?: SharedArrayBuffer }
  /** This worker computes slices of batches sent over `port` by the worker that runs the training. */
  | { id: number; kind: 'helpTrain'; port: MessagePort }
  | { id: number; kind: 'netTrainControl'; payload: RequestOf<'netTrainControl'> }
  | { id: number; kind: 'netPredict'; payload: RequestOf<'netPredict'> }
  | { id: number; kind: 'netSnapshot'; payload: RequestOf<'netSnapshot'> }
  | { id: number; kind: 'netUnitGradient'; payload: RequestOf<'netUnitGradient'> }
  | { id: number; kind: 'netLoad'; runId: number; folder: string | null; payload: RequestOf<'netLoad'>; owner?: string }
  /** `owner`'s page is gone: its net is dropped, and stopped with `reason` if it is training. */
  | { id: number; kind: 'netRelease'; owner: string; reason: string };

export type WorkerReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ApiError }
  | { kind: 'training'; event: TrainingEvent }
  | { kind: 'netTraining'; event: NetTrainingEvent };
