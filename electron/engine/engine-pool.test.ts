// The engine pool against real workers (TypeScript source through tsx): same answers as one worker, requests
// spread over members, and a worker that dies answers its request with an error and is replaced.
import { afterAll, describe, expect, test } from 'vitest';
import { createEngineHost } from './engine-host';
import { createEnginePool, poolSize } from './engine-pool';
import { uniform } from '../../core/random';

const execArgv = ['--import', 'tsx'];
const file = new URL('./engine-worker.ts', import.meta.url);
const pool = createEnginePool(file, { execArgv, size: 2 });
const single = createEngineHost(file, { execArgv });
afterAll(() => Promise.all([pool.close(), single.close()]));

const conv = (cout: number, cin: number, seed: number) => ({
  type: 'conv2d' as const, outChannels: cout, inChannels: cin, kernel: [3, 3] as [number, number],
  weight: { shape: [cout, cin, 3, 3] as [number, number, number, number], data: uniform(cout * cin * 9, -0.5, 0.5, seed) },
  bias: uniform(cout, -0.1, 0.1, seed + 1),
  stride: [1, 1] as [number, number],
  padding: [1, 1] as [number, number],
  dilation: [1, 1] as [number, number],
  flip: false,
});
const request = (side = 48) => ({
  input: { shape: [1, 1, side, side] as [1, number, number, number], data: uniform(side * side, 0, 1, 7) },
  layers: [conv(4, 1, 1), conv(8, 4, 3), conv(8, 8, 5)],
});

describe('engine pool', () => {
  test('sizes itself to the cores, limited by a setting, never below one', () => {
    expect(poolSize(undefined, 8)).toBe(8);
    expect(poolSize(3, 8)).toBe(3);
    expect(poolSize(64, 8)).toBe(8);
    expect(poolSize(0, 8)).toBe(1);
    expect(pool.size).toBe(2);
  });

  test('gives the maps one worker gives, with concurrent requests spread over the members', async () => {
    const want = await single.forward(request());
    const got = await Promise.all([pool.forward(request()), pool.forward(request()), pool.forward(request())]);
    for (const { outputs } of got) {
      expect(outputs.map((o) => o.shape)).toEqual(want.outputs.map((o) => o.shape));
      outputs.forEach((o, i) => expect(Array.from(o.data)).toEqual(Array.from(want.outputs[i].data)));
    }
    expect(pool.workers().filter((w) => w !== undefined)).toHaveLength(2);
  });

  test('a worker that dies answers its request with an error, and a fresh worker serves the next one', async () => {
    // Large enough (about 0.2 s of work) that the worker is still on it when it is killed.
    const pending = pool.forward(request(512));
    // The request went to an idle member, the last one; kill that member's worker while the request is in it.
    const victim = pool.workers()[pool.size - 1]!;
    const before = victim.threadId;
    await victim.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/engine (exited|stopped)/) });
    const { outputs } = await pool.forward(request());
    expect(outputs).toHaveLength(3);
    expect(pool.workers().map((w) => w?.threadId)).not.toContain(before);
  });
});
