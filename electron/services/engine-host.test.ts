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
  kind: 'conv' as const,
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
    const big = { ...edge, weight: { shape: [1, 1, 9, 9] as [number, number, number, number], data: new Float32Array(81) } };
    await expect(host.forward({ input: bars(), layers: [big] })).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/layer 1/) });
    const { outputs } = await host.forward({ input: bars(), layers: [edge] });
    expect(outputs).toHaveLength(1);
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
