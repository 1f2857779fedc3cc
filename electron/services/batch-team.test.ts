// A batch split over two threads gives what one thread gives: forward and input gradient exactly (each image is
// computed alone either way), the weight gradient to float32 rounding (partial sums added in another order).
import { afterAll, describe, expect, test } from 'vitest';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../core/ops/conv2d';
import { uniform } from '../../core/random';
import { createBatchTeam, shareConv } from './batch-team';

const team = createBatchTeam(2, new URL('./batch-worker.ts', import.meta.url), ['--import', 'tsx']);
afterAll(() => team.close());

describe('batch team', () => {
  const x = { shape: [5, 6, 14, 14], data: uniform(5 * 6 * 14 * 14, -1, 1, 1) };
  const w = { shape: [16, 6, 5, 5], data: uniform(16 * 6 * 25, -0.3, 0.3, 2) };
  const gy = { shape: [5, 16, 10, 10], data: uniform(5 * 16 * 100, -1, 1, 3) };
  const shared = shareConv(x, w, gy, {});

  test('forward and input gradient over a split batch equal one thread\'s', async () => {
    expect(Array.from(await team.run('forward', shared))).toEqual(Array.from(conv2d(x, w).data));
    expect(Array.from(await team.run('input-grad', shared))).toEqual(Array.from(conv2dInputGrad(x.shape, w, gy).data));
  });

  test('the weight gradient\'s partial sums add up to one thread\'s', async () => {
    const got = await team.run('weight-grad', shared), want = conv2dWeightGrad(x, gy, w.shape).gradWeight.data;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
  });
});
