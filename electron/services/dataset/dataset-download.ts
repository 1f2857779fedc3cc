/**
 * Downloads one file into a `.part` file beside its final place, resuming a partial one with an HTTP Range request
 * when the server agrees (206) and starting over when it does not (200). A cancel (AbortSignal) keeps the part so
 * the next start resumes it. The caller verifies the part and renames it into place.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_DOWNLOAD_BYTES } from './dataset-files';

export interface DownloadOptions {
  signal: AbortSignal;
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

export async function downloadToPart(url: string, partPath: string, { signal, onProgress }: DownloadOptions): Promise<void> {
  const name = basename(partPath).replace(/\.part$/, '');
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
      received += chunk.byteLength;
      if (received > MAX_DOWNLOAD_BYTES) throw new DownloadError(`${name}: the download passed ${MAX_DOWNLOAD_BYTES / 1048576} MB and was stopped`);
      await file.write(chunk);
      onProgress(received, total);
    }
    await file.sync();
  } catch (error) {
    if (signal.aborted || error instanceof DownloadError) throw error;
    throw new DownloadError(`${name}: the connection broke after ${received} bytes (${(error as Error).message}); start again to resume`);
  } finally {
    await file.close();
  }
  if (total !== null && received !== total) {
    throw new DownloadError(`${name}: the connection closed after ${received} of ${total} bytes; start again to resume`);
  }
}
