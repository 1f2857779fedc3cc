/**
 * The end event of every run a dead engine worker held. Its runs cannot say how they ended, so the host says it for
 * them, naming the cause; without this their pages waited for an event that never came and a later Stop answered
 * "training run 5 is not running".
 */
import type { TrainingEvent } from '../contract/contract';
import type { NetTrainingEvent } from '../contract/net-contract';
import type { RunEventName } from './engine-call-entry';

/** What a run's page reads when the worker holding it ended, for `cause` (e.g. "the engine exited with code 1"). */
export const lostRunMessage = (cause: string): string => `the training run ended because its engine worker stopped (${cause}); start it again to go on`;

/** Each run's listener, by the events it reports and its run id (the engine host's). */
export type RunListeners = Record<RunEventName, Map<number, (event: never) => void>>;

/** Sends each listener's run an 'error' end event naming `cause`, and forgets the listeners. */
export function endRuns(listeners: RunListeners, cause: string): void {
  const message = lostRunMessage(cause);
  const kernel = [...listeners.training] as [number, (event: TrainingEvent) => void][];
  const nets = [...listeners.netTraining] as [number, (event: NetTrainingEvent) => void][];
  // Cleared first: a listener that starts a new run at once must not have it ended too.
  for (const runs of Object.values(listeners)) runs.clear();
  // A kernel run's page reads only the message of an error (its iteration stays where its last step left it).
  for (const [runId, listener] of kernel) listener({ runId, kind: 'error', iteration: 0, iterations: 0, message });
  for (const [runId, listener] of nets) listener({ runId, kind: 'error', message });
}
