/**
 * One member of a batch team (batch-team.ts): runs a conv pass on its slice of the batch, reading the operands
 * from shared memory and writing its slice of the result (or, for the weight gradient, its partial sum) back there.
 */
import { parentPort } from 'node:worker_threads';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../core/ops/conv2d';
import { recycling } from '../../core/ops/floats';
import type { BatchTask } from './batch-team';

if (!parentPort) throw new Error('batch-worker must run as a worker thread');
const port = parentPort;

port.on('message', (task: BatchTask) => {
  try {
    // The pass's result is copied into shared memory, so its arrays serve the next call (as a training step's do).
    recycling(() => run(task));
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});

/** The pass on this member's slice, written into the shared result. */
function run(task: BatchTask): void {
  const [, cin, h, w] = task.xShape, [cout] = task.wShape;
  const count = task.n1 - task.n0;
  const xShape = [count, cin, h, w];
  const x = new Float32Array(task.x, task.n0 * cin * h * w * 4, count * cin * h * w);
  const wt = { shape: task.wShape, data: new Float32Array(task.w) };
  const yPer = task.yPerImage;
  const gy = { shape: [count, cout, ...task.ySize], data: new Float32Array(task.gy, task.n0 * yPer * 4, count * yPer) };
  let out: Float32Array, at: number;
  if (task.pass === 'forward') {
    out = conv2d({ shape: xShape, data: x }, wt, null, task.options).data;
    at = task.n0 * yPer;
  } else if (task.pass === 'input-grad') {
    out = conv2dInputGrad(xShape, wt, gy, task.options).data;
    at = task.n0 * cin * h * w;
  } else {
    out = conv2dWeightGrad({ shape: xShape, data: x }, gy, task.wShape, task.options).gradWeight.data;
    at = task.member * out.length;
  }
  new Float32Array(task.out).set(out, at);
}
