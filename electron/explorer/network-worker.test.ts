// The explorer's forward pass through the real engine worker: the answer's maps are transferred, yet the pass the
// worker keeps stays whole, so the next block is answered from it.
import { afterAll, expect, test } from 'vitest';
import { createEngineHost } from '../engine/engine-host';

const host = createEngineHost(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

test("LeNet's pass in the worker: block 1's maps, then block 3's and block 1's again from the same pass", async () => {
  const input = { shape: [1, 1, 28, 28] as [1, number, number, number], data: Float32Array.from({ length: 784 }, (_, i) => (i % 13) / 13) };
  const first = await host.explorerForward({ net: 'lenet', input, seed: 5, block: 0, channelStart: 0 });
  expect(first).toMatchObject({ cached: false, full: [1, 6, 24, 24], macs: 281640 });
  const third = await host.explorerForward({ net: 'lenet', input, seed: 5, block: 2, channelStart: 0 });
  expect(third).toMatchObject({ cached: true, full: [1, 16, 8, 8] });
  const again = await host.explorerForward({ net: 'lenet', input, seed: 5, block: 0, channelStart: 0 });
  expect(again.cached).toBe(true);
  expect(Array.from(again.map.data)).toEqual(Array.from(first.map.data));
  await expect(host.explorerForward({ net: 'lenet', input, seed: 5, block: 9, channelStart: 0 })).rejects.toMatchObject({
    code: 'engine', message: 'block 9 is out of range: LeNet has 7 blocks, block 0 to 6',
  });
});
