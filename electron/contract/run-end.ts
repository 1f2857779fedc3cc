/** How a training run ends: after an event of one of these kinds, the run sends no more. */
export const RUN_END_STATES = ['done', 'stopped', 'diverged', 'error'] as const;
export type RunEndState = (typeof RUN_END_STATES)[number];

/** Whether an event of this kind is a run's last. */
export function isRunEnd(kind: string): kind is RunEndState {
  return (RUN_END_STATES as readonly string[]).includes(kind);
}
