import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Events, FolderDatasetOpened } from '../../contract/contract';
import { createRouter, type Handlers } from '../router';
import { createFolderDatasetHandlers } from './folder-dataset-handlers';
import { createFolderDatasetService } from './folder-dataset-service';
import { createDecodePool } from './image-decode-pool';
import { encodePng } from './png-write';

let dir: string;
const workerFile = new URL('./image-decode-worker.ts', import.meta.url);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convlab-folder-calls-'));
  for (const [c, value] of [['cat', 30], ['dog', 220]] as const) {
    await mkdir(join(dir, 'pets', c), { recursive: true });
    for (let i = 0; i < 40; i++) await writeFile(join(dir, 'pets', c, `${i}.png`), encodePng({ width: 6, height: 6, colourType: 0, depth: 8, data: new Uint8Array(36).fill(value) }));
  }
  await writeFile(join(dir, 'pets', 'cat', 'broken.png'), 'broken');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function route() {
  const service = createFolderDatasetService({ cacheDir: join(dir, 'cache'), decoder: () => createDecodePool(workerFile, { size: 1, execArgv: ['--import', 'tsx'] }) });
  const router = createRouter(createFolderDatasetHandlers(service) as Handlers);
  const events: Events['folderDataset'][] = [];
  const call = (name: string, request: unknown) => router(name, request, { emit: (_e, payload) => events.push(payload as Events['folderDataset']) });
  return { call, events, service };
}

test('folderDatasetOpen answers classes, counts, a sample per class and what was skipped, with progress events', async () => {
  const { call, events, service } = route();
  const result = await call('folderDatasetOpen', { folder: join(dir, 'pets'), size: 3, colour: 'grey', testFraction: 0.25 });
  expect(result.ok).toBe(true);
  const opened = (result as { value: FolderDatasetOpened }).value;
  expect(opened.summary.classes).toEqual(['cat', 'dog']);
  // 41 files of cat: a seeded quarter (10) drawn for the test split, the broken one among them.
  expect(opened.summary.counts).toEqual({ train: [31, 30], test: [9, 10] });
  expect(opened.summary.split).toEqual({ kind: 'seeded', seed: 0, testFraction: 0.25 });
  expect(opened.summary.skipped).toEqual([{ path: 'cat/broken.png', reason: 'not a PNG or JPEG image (its first bytes are neither signature)' }]);
  expect(opened.skippedTotal).toBe(1);
  expect(opened.sampleClasses).toBe(2);
  expect(Array.from(opened.samples)).toEqual([...new Array(9).fill(30), ...new Array(9).fill(220)]);
  expect(events.at(-1)).toMatchObject({ kind: 'progress', phase: 'decoding', done: 81, total: 81 });
  expect(service.current()?.train.count).toBe(61);
  const again = await call('folderDatasetOpen', { folder: join(dir, 'pets'), size: 3, colour: 'grey', testFraction: 0.25 });
  expect(again).toMatchObject({ ok: true, value: { cached: true } });
});

test('a one-class folder is refused by name; bad requests are refused at the router, naming the field', async () => {
  const { call } = route();
  expect(await call('folderDatasetOpen', { folder: join(dir, 'pets', 'cat'), size: 3, colour: 'grey' })).toEqual({
    ok: false,
    error: { code: 'bad-file', message: `${join(dir, 'pets', 'cat')} holds no PNG or JPEG images in class subfolders (one folder per class, e.g. cat/1.png)` },
  });
  expect(await call('folderDatasetOpen', { folder: dir, size: 0, colour: 'grey' })).toEqual({
    ok: false,
    error: { code: 'invalid-request', message: 'folderDatasetOpen: size: size must be at least 1' },
  });
  expect(await call('folderDatasetOpen', { folder: dir, size: 28, colour: 'cmyk' })).toEqual({
    ok: false,
    error: { code: 'invalid-request', message: 'folderDatasetOpen: colour: colour must be "grey" or "rgb"' },
  });
  expect(await call('folderDatasetCancel', {})).toEqual({ ok: true, value: {} });
});

test('folderDatasetCancel stops an opening under way, which answers cancelled; a second opening meanwhile is busy', async () => {
  const { call } = route();
  const opening = call('folderDatasetOpen', { folder: join(dir, 'pets'), size: 5, colour: 'rgb' });
  expect(await call('folderDatasetOpen', { folder: join(dir, 'pets'), size: 5, colour: 'rgb' })).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect(await call('folderDatasetCancel', {})).toEqual({ ok: true, value: {} });
  expect(await opening).toMatchObject({ ok: false, error: { code: 'cancelled' } });
});

test('a page that goes away cancels the opening it started', async () => {
  const service = createFolderDatasetService({ cacheDir: join(dir, 'cache'), decoder: () => createDecodePool(workerFile, { size: 1, execArgv: ['--import', 'tsx'] }) });
  const router = createRouter(createFolderDatasetHandlers(service) as Handlers);
  const page = new AbortController();
  const opening = router('folderDatasetOpen', { folder: join(dir, 'pets'), size: 6, colour: 'rgb' }, { emit: () => undefined, client: { id: 1, label: 'a tab', signal: page.signal } });
  page.abort();
  expect(await opening).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  expect(service.current()).toBeNull();
});
