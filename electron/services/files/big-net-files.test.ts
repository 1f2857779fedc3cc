// The largest networks that train here, at full width (divisor 1), saved into a lab file (encodeLab), reopened
// (importLab) and loaded into the engine (netTrainingLoad of their own snapshot), bit for bit; their largest tensors are
// millions of values, whose base64 a regular expression could not check.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { initParams } from '../../../core/nets/params';
import { trainingNet } from '../../../core/nets/catalogue';
import { MAX_LAB_FILE_BYTES } from '../../contract/lab-file';
import { isBase64, MAX_TENSOR_BASE64, MAX_TENSOR_VALUES, saveNet, type SavedNet } from '../../contract/lab-file-v3';
import { bookNetSettings } from '../../contract/net-contract';
import { createAutosave } from './autosave';
import { createFilesService, NO_DIALOGS } from './files';
import { createLabCodecWorker } from './lab-codec';
import { LoadedNet } from '../../training/loaded-net';
import { createRecentFiles } from './recent-files';
import { createRouter, type Handlers } from '../router';

const LAB = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/good-v2.convlab.json'), 'utf8')).lab;

// As the hosts run it: a large lab is gated and written in the codec's worker thread.
const codec = createLabCodecWorker(new URL('./lab-codec-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => codec.close());

async function files() {
  const data = mkdtempSync(join(tmpdir(), 'convlab-big-net-'));
  return createFilesService(NO_DIALOGS, await createRecentFiles(join(data, 'recent.json')), await createAutosave(data), undefined, codec);
}

describe('full-width networks save, reopen and load bit for bit', () => {
  for (const net of ['nin', 'resnet18', 'googlenet'] as const) {
    test(`${net} at divisor 1`, async () => {
      const settings = { ...bookNetSettings(net), divisor: 1 };
      const params = initParams(trainingNet({ ...settings, channels: [...settings.channels] }).spec, { seed: 3 });
      const saved = saveNet(settings, params, { epochs: [], batchLosses: [] });
      const text = JSON.stringify({ type: 'convlab', version: 3, lab: { ...LAB, net: saved } });
      expect(text.length).toBeLessThan(MAX_LAB_FILE_BYTES);
      const service = await files();
      const encoded = await service.encode(text, net);
      const reopened = (await service.importText(new TextEncoder().encode(encoded.text), encoded.fileName)).lab.net!;
      expect(reopened.params.map((t) => t.data)).toEqual(saved.params.map((t) => t.data));
      let loaded: SavedNet | null = null;
      const route = createRouter({ netTrainingLoad: (request) => ((loaded = request.net), { runId: 1 }) } as Partial<Handlers> as Handlers);
      expect(await route('netTrainingLoad', { net: reopened }, { emit: () => undefined })).toEqual({ ok: true, value: { runId: 1 } });
      const engine = new LoadedNet(1, loaded!, null);
      const bytes = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const differing = [...params].filter(([path, tensor]) => !bytes(engine.params.get(path)!.data).equals(bytes(tensor.data)));
      expect(differing.map(([path]) => path)).toEqual([]);
    }, 120_000);
  }

  test('while a 30 MB lab is gated and written in the worker, this thread keeps answering: its longest stall is a fraction of the work', async () => {
    const settings = { ...bookNetSettings('googlenet'), divisor: 1 };
    const params = initParams(trainingNet({ ...settings, channels: [...settings.channels] }).spec, { seed: 4 });
    const text = JSON.stringify({ type: 'convlab', version: 3, lab: { ...LAB, net: saveNet(settings, params, { epochs: [], batchLosses: [] }) } });
    const service = await files();
    // Warm the worker, so its start is not what is measured.
    await service.encode(text, 'warm');
    const gaps: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const encoded = await service.encode(text, 'googlenet');
    await service.importText(encoded.text, encoded.fileName);
    clearInterval(ticker);
    const took = performance.now() - started;
    // Only copying the text in and the lab out happens here: gated in place, one stall would take it all.
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps.at(-1)!).toBeLessThan(took / 2);
  }, 120_000);

  test('base64 is checked by a loop at any length, and its limit counts values', () => {
    expect(MAX_TENSOR_BASE64).toBe(21_333_336);
    expect(isBase64('A'.repeat(5_333_336))).toBe(true);
    expect(isBase64('AAA=')).toBe(true);
    expect(isBase64('AA==')).toBe(true);
    for (const bad of ['AAA', 'A===', 'AA=A', 'AAA\u00e9', 'AA-_', 'AAAA\n']) expect(isBase64(bad)).toBe(false);
    // The largest tensor allowed, as text, is within the limit; one group more is not.
    const largest = 'A'.repeat(MAX_TENSOR_BASE64);
    expect(Math.floor((largest.length / 4) * 3 / 4)).toBe(MAX_TENSOR_VALUES);
  });
});
