// One unit's gradient on the input, asked of a net in the real engine worker (TypeScript through tsx): it equals
// core's own, lies inside the unit's receptive field, and a unit, a layer or a run that does not exist is refused by name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inferSpec } from '../../core/nets/infer';
import { lenetSpec } from '../../core/nets/lenet';
import { probeBoxes } from '../../core/nets/probe-boxes';
import { unitInputGradient } from '../../core/nets/run';
import { gateLabText } from '../contract/lab-file';
import { savedNetParams, type SavedNet } from '../contract/lab-file-v3';
import { createEngineHost } from '../engine/engine-host';

const host = createEngineHost(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

let net: SavedNet;
let runId = 0;
/** A drawing with something everywhere, so most units are awake. */
const drawing = Float32Array.from({ length: 784 }, (_, i) => ((i * 7) % 23) / 22);
beforeAll(async () => {
  const lab = gateLabText(readFileSync(join(import.meta.dirname, '../services/fixtures/good-v3.convlab.json'), 'utf8'));
  if (!lab.ok) throw new Error(lab.message);
  net = lab.lab.net!;
  ({ runId } = await host.netTrainingLoad({ net }, null));
});

describe('a unit’s gradient on the input, from the engine worker', () => {
  test('a conv2 unit: the same gradient core computes, nonzero only inside its 14×14 receptive field', async () => {
    const { activation, pooling, channels } = net.settings;
    const spec = lenetSpec({ activation, pooling, channels: [channels[0], channels[1]] });
    // A unit after conv2's ReLU that is awake (a sleeping ReLU passes no gradient back).
    const prediction = await host.netTrainingPredict({ runId, image: { pixels: drawing } });
    const relu2 = prediction.layers.find((l) => l.path === '4')!;
    expect(relu2.shape).toEqual([1, 3, 8, 8]);
    const at = relu2.data.findIndex((v, i) => v > 0 && i % 8 > 0 && Math.floor(i / 8) % 8 > 0);
    expect(at).toBeGreaterThanOrEqual(0);
    const unit = [Math.floor(at / 64), Math.floor(at / 8) % 8, at % 8];

    const answer = await host.netTrainingUnitGradient({ runId, image: { pixels: drawing }, layer: '4', unit });
    expect(answer.layer).toBe('4');
    expect(answer.unit).toEqual(unit);
    expect(answer.gradient.shape).toEqual([1, 1, 28, 28]);
    const core = unitInputGradient(spec, savedNetParams(net), { shape: [1, 1, 28, 28], data: drawing }, '4', unit);
    expect(Array.from(answer.gradient.data)).toEqual(Array.from(core.data));

    const [field] = probeBoxes({ spec, rows: inferSpec(spec, [1, 1, 28, 28]).rows }, 4, { c: unit[0], y: unit[1], x: unit[2] });
    expect([field.bottom - field.top + 1, field.right - field.left + 1]).toEqual([14, 14]);
    // The worker's boxes are core's, one per layer up to the unit's: its 5×5 window in pool1's output last.
    expect(answer.boxes[0]).toEqual(field);
    expect(answer.boxes).toHaveLength(5);
    expect(answer.boxes[3]).toEqual({ top: unit[1], left: unit[2], bottom: unit[1] + 4, right: unit[2] + 4 });
    let reached = 0;
    answer.gradient.data.forEach((g, i) => {
      const y = Math.floor(i / 28), x = i % 28;
      if (g !== 0) {
        reached++;
        expect(y >= field.top && y <= field.bottom && x >= field.left && x <= field.right).toBe(true);
      }
    });
    expect(reached).toBeGreaterThan(16);
  });

  test('a dense unit reads the whole image: its gradient reaches far beyond any conv field', async () => {
    const answer = await host.netTrainingUnitGradient({ runId, image: { pixels: drawing }, layer: '10', unit: [3] });
    const reached = answer.gradient.data.filter((g) => g !== 0).length;
    expect(reached).toBeGreaterThan(16 * 16);
    expect(answer.boxes[0]).toEqual({ top: 0, left: 0, bottom: 27, right: 27 });
  });

  test('a unit outside its layer, a layer the net lacks, a run that is not there, a missing test set: refused by name', async () => {
    await expect(host.netTrainingUnitGradient({ runId, image: { pixels: drawing }, layer: '4', unit: [0, 8, 0] })).rejects.toMatchObject({
      message: "unit [0, 8, 0] is outside layer 4's output 3×8×8",
    });
    await expect(host.netTrainingUnitGradient({ runId, image: { pixels: drawing }, layer: '4', unit: [3, 0, 0] })).rejects.toMatchObject({
      message: "unit [3, 0, 0] is outside layer 4's output 3×8×8",
    });
    await expect(host.netTrainingUnitGradient({ runId, image: { pixels: drawing }, layer: '42', unit: [0] })).rejects.toMatchObject({ message: 'the network has no layer 42' });
    await expect(host.netTrainingUnitGradient({ runId: runId + 100, image: { pixels: drawing }, layer: '4', unit: [0, 0, 0] })).rejects.toMatchObject({
      message: `training run ${runId + 100} has no network to probe`,
    });
    await expect(host.netTrainingUnitGradient({ runId, image: { test: 0 }, layer: '4', unit: [0, 0, 0] })).rejects.toMatchObject({
      message: 'the test images are not available: open the Dataset tab to find them',
    });
  });
});
