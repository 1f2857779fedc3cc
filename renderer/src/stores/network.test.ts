// The explorer's store against a scripted API: a pass still running when another network is shown is dropped, and
// the Run button is freed for the new one.
import { beforeEach, expect, test, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

const answers: { resolve: (value: unknown) => void }[] = [];
const asked: string[] = [];
/** Views answered only when the test says (null: at once). */
let heldViews: (() => void)[] | null = null;
vi.mock('../api/client', () => ({
  api: {
    explorerInfo: async ({ net }: { net: string }) => {
      if (heldViews !== null) await new Promise<void>((resolve) => heldViews!.push(resolve));
      return { ok: true, value: { id: net, side: net === 'lenet' ? 28 : 96, input: [1, 1, 28, 28], blocks: [] } };
    },
    explorerForward: ({ net }: { net: string }) => {
      asked.push(net);
      return new Promise((resolve) => answers.push({ resolve }));
    },
  },
}));
vi.mock('./lab', () => ({
  useLabStore: () => ({ doc: { input: { channels: 1, height: 4, width: 4, data: new Float32Array(16) } } }),
}));

beforeEach(() => {
  setActivePinia(createPinia());
  answers.length = 0;
  asked.length = 0;
  heldViews = null;
});

test('showing another network while a pass runs frees Run and drops the old answer', async () => {
  const { useNetworkStore } = await import('./network');
  const network = useNetworkStore();
  await network.choose('lenet');
  const pass = network.runPass();
  expect(network.running).toBe(true);
  await network.choose('densenet');
  expect(network.running).toBe(false);
  answers[0].resolve({ ok: true, value: { block: 0, cached: false, macs: 1, elapsedMs: 1 } });
  await pass;
  expect(network.running).toBe(false);
  expect(network.pass).toBeNull();
});

test('Run pressed while the chosen network is still being fetched runs that network, not the one shown before', async () => {
  const { useNetworkStore } = await import('./network');
  const network = useNetworkStore();
  await network.choose('lenet');
  heldViews = [];
  const chosen = network.choose('vgg11');
  const pass = network.runPass();
  await Promise.resolve();
  expect(asked).toEqual([]);
  heldViews.forEach((resolve) => resolve());
  await chosen;
  await vi.waitFor(() => expect(asked).toEqual(['vgg11']));
  answers[0].resolve({ ok: true, value: { block: 0, cached: false, macs: 1, elapsedMs: 1 } });
  await pass;
  expect(network.pass).not.toBeNull();
});
