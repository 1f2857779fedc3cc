// Downloads from a local server on 127.0.0.1 that misbehaves: an endless body stops at the limit and a server that
// stalls (before answering or mid-file) times out, each naming the file, and neither leaves its `.part` behind.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_DOWNLOAD_BYTES } from './dataset-files';
import { downloadToPart } from './dataset-download';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(answer);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/t10k-labels-idx1-ubyte.gz`;
}

/** Runs one download into a fresh folder; answers its error (or null) and what the folder holds after. */
async function download(url: string, idleMs = 300): Promise<{ error: string | null; left: string[] }> {
  const folder = await mkdtemp(join(tmpdir(), 'convlab-download-'));
  const error = await downloadToPart(url, join(folder, 't10k-labels-idx1-ubyte.gz.part'), { signal: new AbortController().signal, idleMs, onProgress: () => undefined }).then(
    () => null,
    (e: Error) => e.message,
  );
  return { error, left: await readdir(folder) };
}

describe('downloads with a limit and an idle timeout, leaving nothing behind', () => {
  test('an endless body stops at the limit and its part is deleted', async () => {
    const chunk = Buffer.alloc(1 << 20);
    const url = await serve((_request, response) => {
      response.writeHead(200);
      const more = () => {
        while (response.write(chunk));
        response.once('drain', more);
      };
      more();
    });
    expect(await download(url, 5000)).toEqual({ error: `t10k-labels-idx1-ubyte.gz: the download passed ${MAX_DOWNLOAD_BYTES / 1048576} MB and was stopped`, left: [] });
  }, 30_000);

  test('a server that stalls mid-file times out, naming the file and what arrived, and its part is deleted', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': 100_000 });
      response.write(Buffer.alloc(40_000));
    });
    const started = performance.now();
    const { error, left } = await download(url);
    expect(error).toBe('t10k-labels-idx1-ubyte.gz: the server sent nothing for 0.3 s after 40000 bytes; the download stopped and its partial file was deleted');
    expect(left).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('a server that never answers times out too', async () => {
    const url = await serve(() => undefined);
    expect(await download(url)).toEqual({
      error: 't10k-labels-idx1-ubyte.gz: the server sent nothing for 0.3 s after 0 bytes; the download stopped and its partial file was deleted',
      left: [],
    });
  });

  test('a server offering more than any dataset file is refused before a byte is written', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': MAX_DOWNLOAD_BYTES + 1 });
      response.write(Buffer.alloc(10));
    });
    expect(await download(url)).toEqual({
      error: `t10k-labels-idx1-ubyte.gz: the server offers ${MAX_DOWNLOAD_BYTES + 1} bytes, more than any dataset file (${MAX_DOWNLOAD_BYTES / 1048576} MB)`,
      left: [],
    });
  });
});
