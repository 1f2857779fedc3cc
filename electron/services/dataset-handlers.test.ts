import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Events } from '../contract/contract';
import { createDatasetService } from './dataset';
import { createDatasetHandlers } from './dataset-handlers';
import { SYSTEM_DATASET_FOLDER } from './dataset-files';
import { createRouter, type Handlers } from './router';

async function route() {
  const root = await mkdtemp(join(tmpdir(), 'convlab-dataset-calls-'));
  const service = await createDatasetService({
    appFolder: join(root, 'app'),
    systemFolder: SYSTEM_DATASET_FOLDER,
    statePath: join(root, 'dataset.json'),
    chooseFolder: async (typed) => typed ?? null,
  });
  const router = createRouter(createDatasetHandlers(service) as Handlers);
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
