// The networks beyond LeNet through the same engine worker and contract: BN-LeNet's γ and β ride on the filter
// events, a scaled-down NiN reads its enlarged images, and a kept net of either kind opens again as itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gateLabText, serializeLab } from '../contract/lab-file';
import { bookNetSettings, NetSettingsSchema, type NetSettings, type NetTrainingEvent } from '../contract/net-contract';
import { isRunEnd } from '../contract/run-end';
import { createEngineHost } from '../engine/engine-host';
import { randomDataset } from './random-dataset.test-helper';

const host = createEngineHost(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 64, test: 20 });
});

async function train(settings: NetSettings): Promise<{ runId: number; events: NetTrainingEvent[] }> {
  const events: NetTrainingEvent[] = [];
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const { runId } = await host.netTrainingStart({ settings }, folder, (event) => {
    events.push(event);
    if (isRunEnd(event.kind)) finish();
  });
  await ended;
  return { runId, events };
}

describe('the settings name the network', () => {
  test('a lab saved before other networks trained has no net: it is a LeNet', () => {
    const { net: _, ...old } = bookNetSettings('lenet');
    expect(v.parse(NetSettingsSchema, old).net).toBe('lenet');
  });

  test('an unknown network or a divisor out of range is refused by name', () => {
    const wrong = (settings: unknown) => v.safeParse(NetSettingsSchema, settings).issues?.[0].message;
    expect(wrong({ ...bookNetSettings('lenet'), net: 'vgg11' })).toBe('net must be one of lenet, bn_lenet, resnet18, nin, googlenet');
    expect(wrong({ ...bookNetSettings('resnet18'), divisor: 0 })).toBe('width divisor must be at least 1');
    expect(wrong({ ...bookNetSettings('resnet18'), divisor: 2.5 })).toBe('width divisor must be a whole number');
  });

  test("each network's book settings: BN-LeNet's lr 1.0 (5.10), ResNet's 0.05 at ÷8", () => {
    expect(bookNetSettings('bn_lenet')).toMatchObject({ net: 'bn_lenet', lr: 1, batchSize: 256, epochs: 5 });
    expect(bookNetSettings('resnet18')).toMatchObject({ net: 'resnet18', lr: 0.05, divisor: 8 });
  });
});

describe('BN-LeNet and a scaled-down NiN through the engine worker', () => {
  test("BN-LeNet's filter events carry its first batch norm's six γ and β, which training moves from 1 and 0", async () => {
    const { runId, events } = await train({ ...bookNetSettings('bn_lenet'), epochs: 1, batchSize: 16 });
    expect(events.at(-1)!.kind).toBe('done');
    const filters = events.filter((e) => e.kind === 'filters');
    const first = filters[0].batchNorm!, last = filters.at(-1)!.batchNorm!;
    expect(first.path).toBe('1');
    expect(first.gamma).toEqual([1, 1, 1, 1, 1, 1]);
    expect(first.beta).toEqual([0, 0, 0, 0, 0, 0]);
    expect(last.gamma).toHaveLength(6);
    expect(last.gamma.some((g) => g !== 1)).toBe(true);
    expect(last.beta.some((b) => b !== 0)).toBe(true);
    expect(filters[0].conv2.shape).toEqual([16, 6, 5, 5]);

    // Kept in a lab and opened again, it is still a BN-LeNet and classifies the same.
    const saved = await host.netTrainingSnapshot({ runId });
    expect(saved.settings.net).toBe('bn_lenet');
    expect(saved.params.map((p) => p.path)).toContain('1.moving_var');
    const lab = gateLabText(readFileSync(join(import.meta.dirname, '../services/fixtures/good-v2.convlab.json'), 'utf8'));
    if (!lab.ok) throw new Error(lab.message);
    const reopened = gateLabText(serializeLab({ ...lab.lab, net: saved }));
    if (!reopened.ok) throw new Error(reopened.message);
    const drawing = Float32Array.from({ length: 784 }, (_, i) => (i % 17) / 16);
    const before = await host.netTrainingPredict({ runId, image: { pixels: drawing } });
    const loaded = await host.netTrainingLoad({ net: reopened.lab.net! }, folder);
    const after = await host.netTrainingPredict({ runId: loaded.runId, image: { pixels: drawing } });
    expect(after.probabilities).toEqual(before.probabilities);
    expect(after.layers.map((l) => l.type)).toContain('batchnorm');
  });

  test('a NiN at ÷16 trains on 28×28 images enlarged to 67×67: its filters are 11×11 and a prediction starts at 67', async () => {
    const { runId, events } = await train({ ...bookNetSettings('nin'), divisor: 16, epochs: 1, batchSize: 32 });
    expect(events.at(-1)!.kind).toBe('done');
    const filters = events.find((e) => e.kind === 'filters')!;
    expect(filters.conv1.shape).toEqual([6, 1, 11, 11]);
    expect(filters.batchNorm).toBeUndefined();
    const epoch = events.find((e) => e.kind === 'epoch')!;
    expect(epoch.confusion.reduce((a, b) => a + b, 0)).toBe(20);
    const p = await host.netTrainingPredict({ runId, image: { test: 4 } });
    expect(p.layers[0].shape).toEqual([1, 1, 67, 67]);
    expect(p.label).toBe(4);
    expect(p.probabilities).toHaveLength(10);
  });

  test('a lab whose ResNet-18 tensors are LeNet-shaped is refused, naming the tensor', async () => {
    const { runId } = await train({ ...bookNetSettings('lenet'), epochs: 1, batchSize: 32 });
    const saved = await host.netTrainingSnapshot({ runId });
    const lab = gateLabText(readFileSync(join(import.meta.dirname, '../services/fixtures/good-v2.convlab.json'), 'utf8'));
    if (!lab.ok) throw new Error(lab.message);
    const wrong = gateLabText(serializeLab({ ...lab.lab, net: { ...saved, settings: { ...saved.settings, net: 'resnet18', divisor: 8 } } }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/parameter 0\.weight has shape 6×1×5×5 but the network needs 8×1×7×7/);
  });
});
