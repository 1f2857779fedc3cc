/**
 * The end event of every run a dead engine worker held. Its runs cannot say how they ended, so the host says it for
 * them, naming the cause; without this their pages waited for an event that never came and a later Stop answered
 * "training run 5 is not running".
 */
import type { TrainingEvent } from '../contract/contract';
import type { NetTrainingEvent } from '../contract/net-contract';

/** What a run's page reads when the worker holding it ended, for `cause` (e.g. "the engine exited with code 1"). */
export const lostRunMessage = (cause: string): string => `the training run ended because its engine worker stopped (${cause}); start it again to go on`;

/** Sends each listener's run an 'error' end event naming `cause`, and forgets the listeners. */
export function endRuns(kernelRuns: Map<number, (event: TrainingEvent) => void>, netRuns: Map<number, (event: NetTrainingEvent) => void>, cause: string): void {
  const message = lostRunMessage(cause);
  const kernel = [...kernelRuns], nets = [...netRuns];
  // Cleared first: a listener that starts a new run at once must not have it ended too.
  kernelRuns.clear();
  netRuns.clear();
  // A kernel run's page reads only the message of an error (its iteration stays where its last step left it).
  for (const [runId, listener] of kernel) listener({ runId, kind: 'error', iteration: 0, iterations: 0, message });
  for (const [runId, listener] of nets) listener({ runId, kind: 'error', message });
}
