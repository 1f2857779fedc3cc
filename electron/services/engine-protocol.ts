/** Messages between the engine host (main side) and its worker thread. */
import type { ApiError, RequestOf, TrainingEvent } from '../contract/contract';

export type WorkerRequest =
  | { id: number; kind: 'forward'; payload: RequestOf<'forward'> }
  | { id: number; kind: 'probe'; payload: RequestOf<'probe'> }
  | { id: number; kind: 'trainStart'; runId: number; payload: RequestOf<'trainStart'> }
  | { id: number; kind: 'trainControl'; payload: RequestOf<'trainControl'> }
  | { id: number; kind: 'lossSurface'; payload: RequestOf<'lossSurface'> }
  | { id: number; kind: 'networkForward'; payload: RequestOf<'networkForward'> };

export type WorkerReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ApiError }
  | { kind: 'training'; event: TrainingEvent };
