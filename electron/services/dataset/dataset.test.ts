import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import type { DatasetEvent } from '../../contract/dataset-contract';
import { DATASET_FILES, SYSTEM_DATASET_FOLDER, type DatasetFileSpec } from './dataset-files';
import { createDatasetService, type DatasetServiceOptions } from './dataset';

// A small dataset the tests build: real IDX headers, random pixels (so gzip cannot shrink them below the progress step).
function idxImages(count: number): Uint8Array {
  const bytes = new Uint8Array(16 + count * 784);
  new DataView(bytes.buffer).setUint32(0, 2051);
  new DataView(bytes.buffer).setUint32(4, count);
  new DataView(bytes.buffer).setUint32(8, 28);
  new DataView(bytes.buffer).setUint32(12, 28);
  bytes.set(randomBytes(count * 784), 16);
  return bytes;
}
function idxLabels(count: number): Uint8Array {
  const bytes = new Uint8Array(8 + count);
  new DataView(bytes.buffer).setUint32(0, 2049);
  new DataView(bytes.buffer).setUint32(4, count);
  for (let i = 0; i < count; i++) bytes[8 + i] = i % 10;
  return bytes;
}
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

interface Fixture {
  specs: DatasetFileSpec[];
  gz: Map<string, Buffer>;
}
function makeDataset(): Fixture {
  const payloads: [DatasetFileSpec['role'], string, Uint8Array][] = [
    ['trainImages', 'train-images-idx3-ubyte.gz', idxImages(1000)],
    ['trainLabels', 'train-labels-idx1-ubyte.gz', idxLabels(1000)],
    ['testImages', 't10k-images-idx3-ubyte.gz', idxImages(100)],
    ['testLabels', 't10k-labels-idx1-ubyte.gz', idxLabels(100)],
  ];
  return {
    specs: payloads.map(([role, name, bytes]) => ({ role, name, payloadMd5: md5(bytes), payloadBytes: bytes.length })),
    gz: new Map(payloads.map(([, name, bytes]) => [name, gzipSync(bytes)])),
  };
}

type Route = (request: IncomingMessage, response: ServerResponse, name: string) => void;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** Serves files by name on 127.0.0.1, honouring Range like S3 does; `route` may take a request over. */
async function serve(files: Map<string, Buffer>, route?: Route): Promise<{ url: string; ranges: string[] }> {
  const ranges: string[] = [];
  const server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/data\//, ''));
    if (request.headers.range) ranges.push(`${name} ${request.headers.range}`);
    if (route) {
      route(request, response, name);
      if (response.headersSent || response.writableEnded) return;
    }
    const body = files.get(name);
    if (!body) return void response.writeHead(404).end();
    const range = request.headers.range?.match(/^bytes=(\d+)-$/);
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) return void response.writeHead(416).end();
      response.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      return void response.end(body.subarray(start));
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/data/`, ranges };
}

async function setup(extra: Partial<DatasetServiceOptions> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'convlab-dataset-'));
  const options: DatasetServiceOptions = {
    appFolder: join(root, 'app', 'fashion-mnist'),
    systemFolder: join(root, 'no-system-copy'),
    statePath: join(root, 'app', 'dataset.json'),
    chooseFolder: async (typed) => typed ?? null,
    ...extra,
  };
  return { root, options };
}

/** Runs a download to its end and returns every event it sent. */
async function downloadAll(service: Awaited<ReturnType<typeof createDatasetService>>, onEvent?: (e: DatasetEvent) => void) {
  const events: DatasetEvent[] = [];
  await new Promise<void>((done) =>
    void service.startDownload((event) => {
      events.push(event);
      onEvent?.(event);
      if (event.kind !== 'progress') done();
    }),
  );
  return events;
}

describe('dataset service: finding the files', () => {
  test("Debian's re-gzipped copy is found and each decompressed payload matches the official MD5", async () => {
    const { options } = await setup({ systemFolder: SYSTEM_DATASET_FOLDER });
    const status = await (await createDatasetService(options)).status();
    expect(status).toMatchObject({ source: 'system', folder: SYSTEM_DATASET_FOLDER, ready: true, fashion: true });
    expect(status.files.map((f) => [f.name, f.state])).toEqual(DATASET_FILES.map((f) => [f.name, 'verified']));
  });

  test('with nothing anywhere, every file is missing and the app folder is where they would go', async () => {
    const { options } = await setup();
    const status = await (await createDatasetService(options)).status();
    expect(status).toMatchObject({ source: 'app', folder: options.appFolder, ready: false, fashion: false });
    expect(status.files.every((f) => f.state === 'missing')).toBe(true);
  });

  test('a damaged file in the app folder is named with its fault', async () => {
    const data = makeDataset();
    const { options } = await setup({ files: data.specs });
    await mkdir(options.appFolder, { recursive: true });
    for (const [name, gz] of data.gz) await writeFile(join(options.appFolder, name), gz);
    await writeFile(join(options.appFolder, 't10k-images-idx3-ubyte.gz'), data.gz.get('t10k-images-idx3-ubyte.gz')!.subarray(0, 500));
    await writeFile(join(options.appFolder, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels(1000).map((l) => 9 - l)));
    const status = await (await createDatasetService(options)).status();
    const byName = Object.fromEntries(status.files.map((f) => [f.name, f]));
    expect(status.ready).toBe(false);
    expect(byName['t10k-images-idx3-ubyte.gz']).toMatchObject({ state: 'bad', message: expect.stringMatching(/^t10k-images-idx3-ubyte\.gz is not a complete gzip file/) });
    expect(byName['train-labels-idx1-ubyte.gz']).toMatchObject({ state: 'bad', message: expect.stringMatching(/its contents \(MD5 [0-9a-f]{32}\) are not Fashion-MNIST's/) });
    expect(byName['train-images-idx3-ubyte.gz'].state).toBe('verified');
  });

  test('a folder the user picks is used, may hold another IDX dataset, and is remembered', async () => {
    const data = makeDataset();
    const { root, options } = await setup();
    const picked = join(root, 'my mnist');
    await mkdir(picked);
    for (const [name, gz] of data.gz) await writeFile(join(picked, name), gz);
    const service = await createDatasetService(options);
    const status = await service.chooseFolder(picked);
    expect(status).toMatchObject({ source: 'user', folder: picked, ready: true, fashion: false });
    expect(status!.files.every((f) => f.state === 'other')).toBe(true);
    expect(await (await createDatasetService(options)).status()).toMatchObject({ source: 'user', folder: picked });
    expect((await service.useDefault()).source).toBe('app');
    expect(await service.chooseFolder(undefined)).toBeNull();
  });

  test("a picked folder's files must still be IDX images of 28×28 and labels 0–9: core's reader names the fault", async () => {
    const data = makeDataset();
    const { root, options } = await setup();
    const picked = join(root, 'odd');
    await mkdir(picked);
    for (const [name, gz] of data.gz) await writeFile(join(picked, name), gz);
    const small = idxImages(10);
    new DataView(small.buffer).setUint32(8, 14);
    new DataView(small.buffer).setUint32(12, 56);
    await writeFile(join(picked, 't10k-images-idx3-ubyte.gz'), gzipSync(small));
    const labels = idxLabels(100);
    labels[8 + 7] = 12;
    await writeFile(join(picked, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
    const status = await (await createDatasetService(options)).chooseFolder(picked);
    expect(status!.ready).toBe(false);
    expect(status!.files.slice(2)).toMatchObject([
      { state: 'bad', message: "t10k-images-idx3-ubyte.gz: its images are 14×56, but ConvLab's networks take 28×28" },
      { state: 'bad', message: 't10k-labels-idx1-ubyte.gz: label 12 at index 7 is not a class 0–9' },
    ]);
  });

  test('a folder without the four files is refused, naming what it lacks, and nothing changes', async () => {
    const { root, options } = await setup();
    const service = await createDatasetService(options);
    await writeFile(join(root, 'train-images-idx3-ubyte.gz'), 'x');
    await expect(service.chooseFolder(root)).rejects.toThrow(/lacks train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz/);
    await expect(service.chooseFolder(join(root, 'nowhere'))).rejects.toThrow(/is not a folder/);
    expect((await service.status()).source).toBe('app');
  });
});

describe('dataset service: downloading from a local server', () => {
  test('downloads all four with progress, verifies them and places them atomically', async () => {
    const data = makeDataset();
    const server = await serve(data.gz);
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const service = await createDatasetService(options);
    const events = await downloadAll(service);
    const progress = events.filter((e) => e.kind === 'progress');
    const firstFile = progress.filter((e) => e.fileIndex === 0);
    expect(events.at(-1)).toMatchObject({ kind: 'done' });
    // The 784 KB image file reports several steps, rising, ending at its full size.
    expect(firstFile.length).toBeGreaterThan(2);
    expect(firstFile.map((e) => e.received)).toEqual([...firstFile.map((e) => e.received)].sort((a, b) => a - b));
    expect(firstFile.at(-1)).toMatchObject({ received: data.gz.get(data.specs[0].name)!.length, total: data.gz.get(data.specs[0].name)!.length, fileCount: 4 });
    expect(new Set(progress.map((e) => e.fileIndex))).toEqual(new Set([0, 1, 2, 3]));
    expect((await readdir(options.appFolder)).sort()).toEqual(data.specs.map((s) => s.name).sort());
    expect(await service.status()).toMatchObject({ source: 'app', ready: true, fashion: true, downloading: false });
  });

  test('a cancelled download keeps its part, and the next start resumes it with a Range request', async () => {
    const data = makeDataset();
    const first = data.specs[0].name;
    const whole = data.gz.get(first)!;
    let stall = true;
    // The first answer sends a third of the file, then stalls until the client gives up.
    const server = await serve(data.gz, (request, response, name) => {
      if (name !== first || !stall || request.headers.range) return;
      stall = false;
      response.writeHead(200, { 'content-length': whole.length });
      response.write(whole.subarray(0, 300_000));
    });
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const service = await createDatasetService(options);
    const events = await downloadAll(service, (event) => {
      if (event.kind === 'progress' && event.received > 0) void service.cancelDownload(false);
    });
    expect(events.at(-1)).toEqual({ kind: 'cancelled' });
    const part = await readFile(join(options.appFolder, `${first}.part`));
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(300_000);
    expect((await service.status()).downloading).toBe(false);

    const again = await downloadAll(service);
    expect(again.at(-1)).toMatchObject({ kind: 'done' });
    expect(server.ranges).toEqual([`${first} bytes=${part.length}-`]);
    expect(again.find((e) => e.kind === 'progress')).toMatchObject({ received: part.length });
    expect(Buffer.compare(await readFile(join(options.appFolder, first)), whole)).toBe(0);
    expect((await service.status()).fashion).toBe(true);
  });

  test('cancel with discard deletes the partial file', async () => {
    const data = makeDataset();
    const server = await serve(data.gz, (_request, response) => {
      response.writeHead(200, { 'content-length': 1_000_000 });
      response.write(randomBytes(300_000));
    });
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const service = await createDatasetService(options);
    const events = await downloadAll(service, (event) => {
      if (event.kind === 'progress' && event.received > 0) void service.cancelDownload(true);
    });
    expect(events.at(-1)).toEqual({ kind: 'cancelled' });
    await new Promise((done) => setTimeout(done, 50));
    expect(await readdir(options.appFolder)).toEqual([]);
  });

  test('a server that ignores Range starts the file over rather than appending', async () => {
    const data = makeDataset();
    const first = data.specs[0].name;
    const whole = data.gz.get(first)!;
    const server = await serve(data.gz, (_request, response, name) => {
      if (name === first) response.writeHead(200, { 'content-length': whole.length }).end(whole);
    });
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    await mkdir(options.appFolder, { recursive: true });
    await writeFile(join(options.appFolder, `${first}.part`), whole.subarray(0, 1000));
    const events = await downloadAll(await createDatasetService(options));
    expect(events.at(-1)).toMatchObject({ kind: 'done' });
    expect(server.ranges).toEqual([`${first} bytes=1000-`]);
    expect(Buffer.compare(await readFile(join(options.appFolder, first)), whole)).toBe(0);
  });

  test('a tampered payload is refused, named, and deleted', async () => {
    const data = makeDataset();
    const tampered = new Map(data.gz);
    tampered.set('t10k-labels-idx1-ubyte.gz', gzipSync(idxLabels(100).map((l) => (l + 1) % 10)));
    const server = await serve(tampered);
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const service = await createDatasetService(options);
    const events = await downloadAll(service);
    expect(events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^download refused and deleted: t10k-labels-idx1-ubyte\.gz decompresses to MD5 [0-9a-f]{32}, not the official [0-9a-f]{32}$/),
    });
    // The three good files stay; nothing of the bad one does.
    expect((await readdir(options.appFolder)).sort()).toEqual(data.specs.slice(0, 3).map((s) => s.name).sort());
    expect((await service.status()).ready).toBe(false);
  });

  test('a truncated gzip is refused and deleted', async () => {
    const data = makeDataset();
    const truncated = new Map(data.gz);
    const labels = data.gz.get('train-labels-idx1-ubyte.gz')!;
    truncated.set('train-labels-idx1-ubyte.gz', labels.subarray(0, labels.length >> 1));
    const server = await serve(truncated);
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const events = await downloadAll(await createDatasetService(options));
    expect(events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^download refused and deleted: train-labels-idx1-ubyte\.gz is not a complete gzip file/),
    });
    expect(await readdir(options.appFolder)).toEqual([data.specs[0].name]);
  });

  test('a missing file on the server and an unreachable server are named', async () => {
    const data = makeDataset();
    const server = await serve(new Map());
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const events = await downloadAll(await createDatasetService(options));
    expect(events.at(-1)).toEqual({ kind: 'error', message: 'train-images-idx3-ubyte.gz: the server answered 404 Not Found' });
    const offline = await setup({ files: data.specs, baseUrl: 'http://127.0.0.1:9/' });
    const failed = await downloadAll(await createDatasetService(offline.options));
    expect(failed.at(-1)).toMatchObject({ kind: 'error', message: expect.stringMatching(/^train-images-idx3-ubyte\.gz: cannot reach 127\.0\.0\.1:9/) });
  });

  test('a server that stalls mid-file ends the download with an error naming the file, and no part is left', async () => {
    const data = makeDataset();
    const server = await serve(data.gz, (_request, response, name) => {
      if (name !== data.specs[1].name) return;
      response.writeHead(200, { 'content-length': 1_000_000 });
      response.write(randomBytes(1000));
    });
    const { options } = await setup({ files: data.specs, baseUrl: server.url, downloadIdleMs: 200 });
    const events = await downloadAll(await createDatasetService(options));
    expect(events.at(-1)).toEqual({ kind: 'error', message: 'train-labels-idx1-ubyte.gz: the server sent nothing for 0.2 s after 1000 bytes; the download stopped and its partial file was deleted' });
    expect(await readdir(options.appFolder)).toEqual([data.specs[0].name]);
  });

  test('a second start while one runs is refused', async () => {
    const data = makeDataset();
    const server = await serve(data.gz, (_request, response) => {
      response.writeHead(200, { 'content-length': 1_000_000 });
      response.write(randomBytes(1000));
    });
    const { options } = await setup({ files: data.specs, baseUrl: server.url });
    const service = await createDatasetService(options);
    await service.startDownload(() => undefined);
    await expect(service.startDownload(() => undefined)).rejects.toThrow('a download is already running');
    await service.cancelDownload(true);
  });
});
