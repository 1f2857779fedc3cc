// A batch split over two threads gives what one thread gives: forward and input gradient exactly (each image is
// computed alone either way), the weight gradient to float32 rounding (partial sums added in another order), and
// the same sum on every run whoever took which chunk. A worker that dies fails the pass instead of hanging it.
import { afterAll, describe, expect, test } from 'vitest';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../core/ops/conv2d';
import { uniform } from '../../core/random';
import { createBatchTeam, shareConv } from './batch-team';

const workerFile = new URL('./batch-worker.ts', import.meta.url), execArgv = ['--import', 'tsx'];
const team = createBatchTeam(2, workerFile, execArgv);
afterAll(() => team.close());

/** A conv on `n` images (an odd count leaves a short last chunk), its operands shared. */
function convOn(n: number) {
  const x = { shape: [n, 6, 14, 14], data: uniform(n * 6 * 14 * 14, -1, 1, 1) };
  const w = { shape: [16, 6, 5, 5], data: uniform(16 * 6 * 25, -0.3, 0.3, 2) };
  const gy = { shape: [n, 16, 10, 10], data: uniform(n * 16 * 100, -1, 1, 3) };
  return { x, w, gy, shared: shareConv(x, w, gy, {}) };
}

function expectClose(got: Float32Array, want: Float32Array) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
}

describe('batch team', () => {
  const { x, w, gy, shared } = convOn(13);

  test('forward and input gradient over a split batch equal one thread\'s', async () => {
    expect(Array.from(await team.run('forward', shared))).toEqual(Array.from(conv2d(x, w).data));
    expect(Array.from(await team.run('input-grad', shared))).toEqual(Array.from(conv2dInputGrad(x.shape, w, gy).data));
  });

  test('the weight gradient\'s partial sums add up to one thread\'s, the same on every run', async () => {
    const first = Array.from(await team.run('weight-grad', shared));
    expectClose(Float32Array.from(first), conv2dWeightGrad(x, gy, w.shape).gradWeight.data);
    for (let run = 0; run < 5; run++) expect(Array.from(await team.run('weight-grad', shared))).toEqual(first);
  });

  test('passes on two convs in turn each get their own operands', async () => {
    const other = convOn(3);
    expect(Array.from(await team.run('forward', other.shared))).toEqual(Array.from(conv2d(other.x, other.w).data));
    expect(Array.from(await team.run('forward', shared))).toEqual(Array.from(conv2d(x, w).data));
  });

  test('a team of one is the plain call on this thread', async () => {
    const one = createBatchTeam(1, workerFile, execArgv);
    try {
      expect(Array.from(await one.run('forward', shared))).toEqual(Array.from(conv2d(x, w).data));
      expectClose(await one.run('weight-grad', shared), conv2dWeightGrad(x, gy, w.shape).gradWeight.data);
    } finally {
      await one.close();
    }
  });

  test('a bad task fails the pass with the engine\'s message and the team goes on', async () => {
    const bad = { ...shared, options: { dilation: 4 } };
    await expect(team.run('forward', bad)).rejects.toThrow(/dilat|kernel|larger|input/i);
    expect(Array.from(await team.run('forward', shared))).toEqual(Array.from(conv2d(x, w).data));
  });

  test('a worker that dies fails the pass in flight and every later one', async () => {
    const doomed = createBatchTeam(2, workerFile, execArgv);
    try {
      const big = convOn(64).shared;
      await doomed.run('forward', big);
      const pass = doomed.run('input-grad', big);
      // The worker ends while the pass runs (or just after, if the caller took every chunk): either way no hang.
      await doomed.workers()[0].terminate();
      await pass.catch(() => {});
      await expect(doomed.run('forward', big)).rejects.toThrow(/exited/);
    } finally {
      await doomed.close();
    }
  });
});
