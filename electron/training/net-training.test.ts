// LeNet trained through the engine host and its real worker (TypeScript through tsx) on a small IDX dataset the
// test writes: the events a run sends, pause, resume and stop between batches, predictions mid-run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lenetSpec } from '../../core/nets/lenet';
import { predictImage } from '../../core/nets/predict-image';
import { gateLabText, serializeLab } from '../contract/lab-file';
import { savedNetParams } from '../contract/lab-file-v3';
import { BOOK_NET_SETTINGS, type NetSettings, type NetTrainingEvent } from '../contract/net-contract';
import { isRunEnd } from '../contract/run-end';
import { createEngineHost } from '../engine/engine-host';
import { randomDataset } from './random-dataset.test-helper';

const host = createEngineHost(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 600, test: 100 });
});

/** Starts a run and collects its events; `until` ends the wait. */
async function run(settings: NetSettings, until: (e: NetTrainingEvent, all: NetTrainingEvent[]) => boolean = (e) => isRunEnd(e.kind)) {
  const events: NetTrainingEvent[] = [];
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const { runId } = await host.netTrainingStart({ settings }, folder, (event) => {
    events.push(event);
    if (until(event, events)) finish();
  });
  return { runId, events, ended };
}

describe('LeNet through the engine worker', () => {
  test("one epoch sends the filters, every batch, the book's line with a confusion matrix, then done", async () => {
    const { events, ended } = await run({ ...BOOK_NET_SETTINGS, epochs: 1 });
    await ended;
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('filters');
    expect(kinds.filter((k) => k === 'batch')).toHaveLength(3);
    expect(kinds.at(-1)).toBe('done');
    const batches = events.filter((e) => e.kind === 'batch');
    expect(batches.map((b) => [b.epoch, b.batch, b.batches, b.epochs])).toEqual([[1, 1, 3, 1], [1, 2, 3, 1], [1, 3, 3, 1]]);
    const epoch = events.find((e) => e.kind === 'epoch')!;
    expect(epoch.line).toMatch(/^epoch 1, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec$/);
    expect(epoch.confusion).toHaveLength(100);
    expect(epoch.confusion.reduce((a, b) => a + b, 0)).toBe(100);
    // Each true class has 10 test images: a row of the matrix sums to 10.
    for (let c = 0; c < 10; c++) expect(epoch.confusion.slice(c * 10, c * 10 + 10).reduce((a, b) => a + b, 0)).toBe(10);
    // Each cell lists its first images: test image i has label i % 10.
    epoch.examples.forEach((indices, cell) => {
      expect(indices.length).toBe(Math.min(12, epoch.confusion[cell]));
      for (const i of indices) expect(i % 10).toBe(Math.floor(cell / 10));
    });
    // The images it gets most wrong: sorted by the true class's probability, bounded, with their real labels.
    expect(epoch.mostWrong).toHaveLength(12);
    for (let k = 1; k < 12; k++) expect(epoch.mostWrong[k].trueProbability).toBeGreaterThanOrEqual(epoch.mostWrong[k - 1].trueProbability);
    for (const w of epoch.mostWrong) expect(w.label).toBe(w.index % 10);
    const diagonal = Array.from({ length: 10 }, (_, c) => epoch.confusion[c * 11]).reduce((a, b) => a + b, 0);
    expect(diagonal / 100).toBeCloseTo(epoch.testAcc, 5);
    const filters = events.find((e) => e.kind === 'filters')!;
    expect(filters.conv1.shape).toEqual([6, 1, 5, 5]);
    expect(filters.conv2.shape).toEqual([16, 6, 5, 5]);
    expect(filters.conv1.data).toHaveLength(150);
  });

  test('pause holds the run between batches, a prediction is answered meanwhile, resume goes on, stop ends it', async () => {
    const { runId, events, ended } = await run({ ...BOOK_NET_SETTINGS, epochs: 50 }, (e) => e.kind === 'stopped');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => events.some((e) => e.kind === 'batch') && (clearInterval(poll), resolve()), 5);
    });
    expect(await host.netTrainingControl({ runId, command: 'pause' })).toEqual({ state: 'paused' });
    await new Promise((r) => setTimeout(r, 100));
    const seen = events.filter((e) => e.kind === 'batch').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((e) => e.kind === 'batch').length).toBe(seen);

    const drawing = new Float32Array(784).fill(0.5);
    const prediction = await host.netTrainingPredict({ runId, image: { pixels: drawing } });
    expect(prediction.probabilities).toHaveLength(10);
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.ranking[0]).toBe(prediction.probabilities.indexOf(Math.max(...prediction.probabilities)));
    expect(prediction.layers.map((l) => [l.type, l.shape])).toEqual([
      ['input', [1, 1, 28, 28]],
      ['conv2d', [1, 6, 24, 24]],
      ['sigmoid', [1, 6, 24, 24]],
      ['maxpool', [1, 6, 12, 12]],
      ['conv2d', [1, 16, 8, 8]],
      ['sigmoid', [1, 16, 8, 8]],
      ['maxpool', [1, 16, 4, 4]],
      ['dense', [1, 120]],
      ['sigmoid', [1, 120]],
      ['dense', [1, 84]],
      ['sigmoid', [1, 84]],
      ['dense', [1, 10]],
    ]);
    const test7 = await host.netTrainingPredict({ runId, image: { test: 7 } });
    expect(test7.label).toBe(7);

    expect(await host.netTrainingControl({ runId, command: 'resume' })).toEqual({ state: 'running' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => events.filter((e) => e.kind === 'batch').length > seen && (clearInterval(poll), resolve()), 5);
    });
    expect(await host.netTrainingControl({ runId, command: 'stop' })).toEqual({ state: 'stopped' });
    await ended;
    expect(events.map((e) => e.kind)).toContain('paused');
    expect(events.map((e) => e.kind)).toContain('resumed');
    await expect(host.netTrainingPredict({ runId, image: { test: 100 } })).rejects.toMatchObject({ message: 'test image 100 is past the end of the test set (100 images)' });
  });
});

describe('a trained net kept in the lab file and opened again', () => {
  test('save → write → open → load: the same weights classify the same, with the history kept', async () => {
    const { runId, events, ended } = await run({ ...BOOK_NET_SETTINGS, activation: 'relu', lr: 0.1, epochs: 1 });
    await ended;
    const saved = await host.netTrainingSnapshot({ runId });
    expect(saved.history.epochs.map((e) => e.line)).toEqual(events.filter((e) => e.kind === 'epoch').map((e) => e.line));
    expect(saved.history.batchLosses).toEqual(events.flatMap((e) => (e.kind === 'batch' ? [e.loss] : [])));

    const lab = gateLabText(readFileSync(join(import.meta.dirname, '../services/fixtures/good-v2.convlab.json'), 'utf8'));
    if (!lab.ok) throw new Error(lab.message);
    const reopened = gateLabText(serializeLab({ ...lab.lab, net: saved }));
    if (!reopened.ok) throw new Error(reopened.message);
    const loaded = await host.netTrainingLoad({ net: reopened.lab.net! }, folder);
    expect(loaded.runId).not.toBe(runId);

    const drawing = Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 28);
    const before = await host.netTrainingPredict({ runId, image: { pixels: drawing } }).catch(() => null);
    // Loading replaced the run in the worker: only the loaded net answers now.
    expect(before).toBeNull();
    const after = await host.netTrainingPredict({ runId: loaded.runId, image: { pixels: drawing } });
    const fresh = predictImage(lenetSpec({ activation: 'relu' }), savedNetParams(saved), drawing);
    expect(after.probabilities).toEqual(Array.from(fresh.probabilities));
    expect((await host.netTrainingPredict({ runId: loaded.runId, image: { test: 3 } })).label).toBe(3);
    await expect(host.netTrainingControl({ runId: loaded.runId, command: 'pause' })).rejects.toMatchObject({
      message: `net ${loaded.runId} was opened from a lab and is not training (cannot pause)`,
    });
    expect(await host.netTrainingSnapshot({ runId: loaded.runId })).toEqual(reopened.lab.net);
  });

  test('a loaded net without the dataset still classifies drawings, and says why it has no test images', async () => {
    const net = gateLabText(readFileSync(join(import.meta.dirname, '../services/fixtures/good-v3.convlab.json'), 'utf8'));
    if (!net.ok) throw new Error(net.message);
    const { runId } = await host.netTrainingLoad({ net: net.lab.net! }, null);
    const p = await host.netTrainingPredict({ runId, image: { pixels: new Float32Array(784).fill(0.25) } });
    expect(p.layers.map((l) => l.shape)).toContainEqual([1, 3, 8, 8]);
    await expect(host.netTrainingPredict({ runId, image: { test: 0 } })).rejects.toMatchObject({ message: 'the test images are not available: open the Dataset tab to find them' });
  });
});
