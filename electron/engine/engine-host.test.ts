// The engine host against the real worker (its TypeScript source, loaded through tsx): maps, probes, errors, training.
import { afterAll, describe, expect, test } from 'vitest';
import type { TrainingEvent } from '../contract/contract';
import { createEngineHost } from './engine-host';

const host = createEngineHost(new URL('./engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

const bars = () => {
  const data = new Float32Array(48).fill(1);
  for (let y = 0; y < 6; y++) for (let x = 2; x < 6; x++) data[y * 8 + x] = 0;
  return { shape: [1, 1, 6, 8] as [1, number, number, number], data };
};
const edge = {
  type: 'conv2d' as const, outChannels: 1, inChannels: 1, kernel: [1, 2] as [number, number],
  weight: { shape: [1, 1, 1, 2] as [number, number, number, number], data: Float32Array.from([1, -1]) },
  bias: new Float32Array(1),
  stride: [1, 1] as [number, number],
  padding: [0, 0] as [number, number],
  dilation: [1, 1] as [number, number],
  flip: false,
};

describe('engine host', () => {
  test('computes the book’s edge map in the worker', async () => {
    const { outputs } = await host.forward({ input: bars(), layers: [edge] });
    expect(outputs[0].shape).toEqual([1, 1, 6, 7]);
    expect(Array.from(outputs[0].data.subarray(0, 7))).toEqual([0, 1, 0, 0, 0, -1, 0]);
  });

  test('an engine error comes back as a coded error, and the worker keeps serving', async () => {
    const big = { ...edge, kernel: [9, 9] as [number, number], weight: { shape: [1, 1, 9, 9] as [number, number, number, number], data: new Float32Array(81) } };
    await expect(host.forward({ input: bars(), layers: [big] })).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/layer 1/) });
    const { outputs } = await host.forward({ input: bars(), layers: [edge] });
    expect(outputs).toHaveLength(1);
  });

  test('a lab\'s maps after a brush step come back as the windows it changed; a state the worker did not name gets every map', async () => {
    const three = { ...edge, outChannels: 4, kernel: [3, 3] as [number, number], weight: { shape: [4, 1, 3, 3] as [number, number, number, number], data: Float32Array.from({ length: 36 }, (_, i) => (i % 7) - 3) }, bias: new Float32Array(4) };
    const input = { shape: [1, 1, 32, 32] as [1, number, number, number], data: new Float32Array(32 * 32) };
    const first = await host.forwardWindows({ input, layers: [three], since: null });
    expect(first.outputs).toHaveLength(1);
    expect(first.state).toMatch(/^[0-9a-f]{8}:\d+$/);
    input.data[5 * 32 + 6] = 1;
    const next = await host.forwardWindows({ input, layers: [three], since: first.state });
    expect(next).toMatchObject({ since: first.state, outputs: null });
    expect(next.windows).toHaveLength(1);
    expect(next.windows[0].data.length).toBeLessThan(4 * 30 * 30 / 4);
    const { outputs } = await host.forward({ input, layers: [three] });
    // The window holds the full pass's values.
    const { y, x, height, width, data } = next.windows[0];
    expect(data[(1 * height + 1) * width + 1]).toBe(outputs[0].data[(1 * 30 + y + 1) * 30 + x + 1]);
    // The next step sends only the cell of the input it changed; a window for an input the worker no longer has gets
    // an empty answer that says so (since: null).
    const cell = { shape: input.shape, y: 20, x: 21, height: 1, width: 1, data: Float32Array.of(2) };
    const whole = await host.forwardWindows({ input, layers: [three], since: null });
    const patched = await host.forwardWindows({ inputWindow: cell, layers: [three], since: whole.state });
    expect(patched.since).toBe(whole.state);
    expect(patched.windows[0]).toMatchObject({ layer: 0, y: 18, x: 19, height: 3, width: 3 });
    expect(await host.forwardWindows({ inputWindow: cell, layers: [three], since: whole.state })).toMatchObject({ since: null, outputs: null, windows: [] });
    input.data[20 * 32 + 21] = 2;
    // A state older than the worker's last answer is stale: that page gets every map.
    const stale = await host.forwardWindows({ input, layers: [three], since: next.state });
    expect(stale).toMatchObject({ since: null, windows: [] });
    expect(Array.from(stale.outputs![0].data)).toEqual(Array.from((await host.forward({ input, layers: [three] })).outputs[0].data));
  });

  test('a probe returns the window and the effective receptive field', async () => {
    const probe = await host.probe({ input: bars(), layers: [edge], layer: 0, unit: { c: 0, y: 2, x: 3 } });
    expect(probe.boxes[0]).toEqual({ top: 2, left: 3, bottom: 2, right: 4 });
    expect(probe.gradient.data[2 * 8 + 3]).toBe(1);
    expect(probe.gradient.data[2 * 8 + 4]).toBe(-1);
  });

  test('training streams one event per iteration, obeys pause and step, and ends with done', async () => {
    const events: TrainingEvent[] = [];
    const y = (await host.forward({ input: bars(), layers: [edge] })).outputs[0];
    const { runId } = await host.trainStart(
      { x: bars(), y, kernel: [1, 2], initWeight: Float32Array.from([0.05, -0.03]), learnBias: false, lr: 0.03, iterations: 10, flip: false, pace: 20 },
      (event) => events.push(event),
    );
    await host.trainControl({ runId, command: 'pause' });
    const pausedAt = events.filter((e) => e.kind === 'step').length;
    await host.trainControl({ runId, command: 'step' });
    await new Promise((r) => setTimeout(r, 100));
    expect(events.filter((e) => e.kind === 'step').length).toBe(pausedAt + 1);
    await host.trainControl({ runId, command: 'resume' });
    await new Promise<void>((resolve) => {
      const check = () => (events.some((e) => e.kind === 'done') ? resolve() : setTimeout(check, 20));
      check();
    });
    const steps = events.filter((e) => e.kind === 'step');
    expect(steps.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The reference's init_1 trajectory: iteration 1 starts from a loss of 11.0652 (hand-checked in its README).
    expect(steps[0].loss).toBeCloseTo(11.0652, 3);
    expect(events[events.length - 1].kind).toBe('done');
  });
});
