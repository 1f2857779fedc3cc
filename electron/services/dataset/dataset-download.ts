/**
 * Downloads one file into a `.part` file beside its final place, resuming a partial one with an HTTP Range request
 * when the server agrees (206) and starting over when it does not (200). A cancel (AbortSignal) keeps the part so
 * the next start resumes it; every other failure (a refusal, a body past the limit, a broken or stalled connection)
 * deletes it, so nothing is left behind. A server silent for the idle timeout is given up on. The caller verifies
 * the part and renames it into place.
 */
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_DOWNLOAD_BYTES } from './dataset-files';

/** How long a server may send nothing (before its answer or between two chunks) before the download stops. */
export const DOWNLOAD_IDLE_MS = 30_000;

export interface DownloadOptions {
  signal: AbortSignal;
  /** DOWNLOAD_IDLE_MS unless a test brings a shorter one. */
  idleMs?: number;
  /** Bytes in the part file so far, and the file's full size when the server said. */
  onProgress(received: number, total: number | null): void;
}

/** A download the server or the network refused; the message names the file and the reason. */
export class DownloadError extends Error {}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** The full size from a 206's Content-Range ("bytes 100-199/200"), or null. */
function rangeTotal(header: string | null): number | null {
  const match = header?.match(/^bytes \d+-\d+\/(\d+)$/);
  return match ? Number(match[1]) : null;
}

/** Downloads `url` into `partPath` (see the top of this file); on any failure but a cancel the part is deleted. */
export async function downloadToPart(url: string, partPath: string, options: DownloadOptions): Promise<void> {
  const name = basename(partPath).replace(/\.part$/, '');
  const idleMs = options.idleMs ?? DOWNLOAD_IDLE_MS;
  const idle = new AbortController();
  let received = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Rearmed by every chunk: the timer measures silence, not the whole download.
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleMs);
  };
  alive();
  try {
    await fetchInto(url, partPath, name, { ...options, signal: AbortSignal.any([options.signal, idle.signal]) }, alive, (n) => (received = n));
  } catch (error) {
    if (options.signal.aborted) throw error;
    await rm(partPath, { force: true });
    if (idle.signal.aborted) {
      throw new DownloadError(`${name}: the server sent nothing for ${idleMs / 1000} s after ${received} bytes; the download stopped and its partial file was deleted`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function fetchInto(
  url: string,
  partPath: string,
  name: string,
  { signal, onProgress }: DownloadOptions,
  alive: () => void,
  counted: (received: number) => void,
): Promise<void> {
  const already = await sizeOf(partPath);
  const response = await fetch(url, { signal, redirect: 'follow', headers: already > 0 ? { Range: `bytes=${already}-` } : {} }).catch(
    (error: unknown) => {
      if (signal.aborted) throw error;
      throw new DownloadError(`${name}: cannot reach ${new URL(url).host} (${(error as Error).cause ?? (error as Error).message})`);
    },
  );
  // 416: the part already holds the whole file (the previous run stopped after the last byte, before renaming).
  if (response.status === 416 && already > 0) {
    onProgress(already, already);
    return;
  }
  if (response.status !== 200 && response.status !== 206) {
    throw new DownloadError(`${name}: the server answered ${response.status} ${response.statusText}`.trim());
  }
  const resuming = response.status === 206;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = resuming ? rangeTotal(response.headers.get('content-range')) : Number.isFinite(length) ? length : null;
  if (total !== null && total > MAX_DOWNLOAD_BYTES) {
    throw new DownloadError(`${name}: the server offers ${total} bytes, more than any dataset file (${MAX_DOWNLOAD_BYTES / 1048576} MB)`);
  }
  if (!response.body) throw new DownloadError(`${name}: the server sent no data`);

  let received = resuming ? already : 0;
  const file = await open(partPath, resuming ? 'a' : 'w');
  try {
    onProgress(received, total);
    for await (const chunk of response.body) {
      alive();
      received += chunk.byteLength;
      counted(received);
      if (received > MAX_DOWNLOAD_BYTES) throw new DownloadError(`${name}: the download passed ${MAX_DOWNLOAD_BYTES / 1048576} MB and was stopped`);
      await file.write(chunk);
      onProgress(received, total);
    }
    await file.sync();
  } catch (error) {
    if (signal.aborted || error instanceof DownloadError) throw error;
    throw new DownloadError(`${name}: the connection broke after ${received} bytes (${(error as Error).message})`);
  } finally {
    await file.close();
  }
  if (total !== null && received !== total) {
    throw new DownloadError(`${name}: the connection closed after ${received} of ${total} bytes`);
  }
}
