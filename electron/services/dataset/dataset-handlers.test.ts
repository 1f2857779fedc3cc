import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { DatasetImages, Events } from '../../contract/contract';
import { createDatasetService } from './dataset';
import { createDatasetHandlers } from './dataset-handlers';
import { createDatasetImageStore } from './dataset-images';
import { SYSTEM_DATASET_FOLDER } from './dataset-files';
import { createRouter, type Handlers } from '../router';

async function route() {
  const root = await mkdtemp(join(tmpdir(), 'convlab-dataset-calls-'));
  const service = await createDatasetService({
    appFolder: join(root, 'app'),
    systemFolder: SYSTEM_DATASET_FOLDER,
    statePath: join(root, 'dataset.json'),
    chooseFolder: async (typed) => typed ?? null,
  });
  const router = createRouter(createDatasetHandlers(service, createDatasetImageStore(service)) as Handlers);
  const events: Events['dataset'][] = [];
  return (name: string, request: unknown) => router(name, request, { emit: (_e, payload) => events.push(payload as Events['dataset']) });
}

test('the dataset calls answer through the router: the status names the system copy, a cancelled choice changes nothing', async () => {
  const call = await route();
  expect(await call('datasetStatus', {})).toMatchObject({ ok: true, value: { source: 'system', ready: true, fashion: true } });
  expect(await call('datasetChooseFolder', {})).toEqual({ ok: true, value: { cancelled: true } });
  expect(await call('datasetDownloadCancel', { discard: false })).toEqual({ ok: true, value: {} });
});

test('bad dataset requests are refused at the router with a message naming the field', async () => {
  const call = await route();
  expect(await call('datasetDownloadCancel', { discard: 'yes' })).toEqual({
    ok: false,
    error: { code: 'invalid-request', message: 'datasetDownloadCancel: discard: discard must be true or false' },
  });
  expect(await call('datasetChooseFolder', { typedPath: '' })).toEqual({
    ok: false,
    error: { code: 'invalid-request', message: 'datasetChooseFolder: typedPath: a folder cannot be empty' },
  });
  expect(await call('datasetChooseFolder', { typedPath: '/nowhere/at/all' })).toMatchObject({ ok: false, error: { code: 'io', message: '/nowhere/at/all is not a folder' } });
});

test("images of a class come from Debian's Fashion-MNIST, a bounded page at a time, with their labels", async () => {
  const call = await route();
  const result = await call('datasetImages', { split: 'test', label: 1, offset: 0, count: 5 });
  expect(result.ok).toBe(true);
  const page = (result as { ok: true; value: DatasetImages }).value;
  // The book's first ten test labels are 9 2 1 1 6 1 4 6 5 7: the trousers (1) among them are images 2, 3 and 5.
  expect(page).toMatchObject({ split: 'test', total: 1000, rows: 28, cols: 28, labels: [1, 1, 1, 1, 1] });
  expect(page.indices.slice(0, 3)).toEqual([2, 3, 5]);
  expect(page.pixels.length).toBe(5 * 784);
  const one = (await call('datasetImage', { split: 'test', index: 3 })) as { ok: true; value: DatasetImages };
  expect(one.value.pixels).toEqual(page.pixels.subarray(784, 2 * 784));
  const all = (await call('datasetImages', { split: 'train', offset: 59_998, count: 64 })) as { ok: true; value: DatasetImages };
  expect(all.value).toMatchObject({ total: 60_000, indices: [59_998, 59_999] });
  expect(await call('datasetImages', { split: 'test', offset: 0, count: 65 })).toMatchObject({
    ok: false,
    error: { code: 'invalid-request', message: 'datasetImages: count: count must be at most 64' },
  });
  expect(await call('datasetImages', { split: 'validation', offset: 0, count: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  expect(await call('datasetImage', { split: 'test', index: 10_000 })).toEqual({
    ok: false,
    error: { code: 'invalid-request', message: 'image 10000 is past the end of the test set (10000 images)' },
  });
});
