/**
 * One worker member of a batch team (batch-team.ts): spins, then sleeps in Atomics.wait, until the caller starts a run, takes
 * the newest task from its port (sent only when it changed), claims and runs chunks of the batch until none is
 * left, then sleeps again. It never returns to its event loop: terminate() ends it in its wait.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { RUN, runChunk, type BatchMemberData, type BatchTask } from './batch-team';
import { claimChunks, waitForChange } from '../training/chunk-claims';

const { control: buffer, port } = workerData as BatchMemberData;
const control = new Int32Array(buffer);
let task: BatchTask | null = null;
let out: Float32Array | null = null;
let seen = Atomics.load(control, RUN);

/**
 * How long a member spins for the next run before it sleeps (chunk-claims.ts waitForChange). Timed in turn on a
 * quiet machine (`bench --workers 2`): with it S4b's three passes split 1.82–1.97× one thread, without it 1.25–1.82×.
 */
const SPIN_MS = 1;

for (;;) {
  waitForChange(control, RUN, seen, SPIN_MS);
  seen = Atomics.load(control, RUN);
  // Tasks are posted before the run starts, so the newest one here is at least this run's.
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    task = m.message as BatchTask;
    out = new Float32Array(task.out);
  }
  const current = task, into = out;
  if (current === null || into === null) continue;
  claimChunks(control, seen, current.chunks, (c) => runChunk(current, c, into),
    (error) => port.postMessage({ message: error instanceof Error ? error.message : String(error) }));
}
