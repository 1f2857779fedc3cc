/**
 * Decompresses a dataset file as a stream and hashes (or collects) its payload, so a 26 MB .gz is checked without
 * holding it whole and without blocking the event loop. The file's size is checked before a byte is read, the
 * payload against what its IDX header promises as it streams, and nothing may follow the gzip data: a file larger
 * than its header promises or than its format allows is refused by name, as is a folder in a file's place.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MAX_PAYLOAD_BYTES } from './dataset-files';

/** A dataset file that cannot be used; the message names the file and what is wrong with it. */
export class DatasetFileError extends Error {}

/**
 * The most a gzip file of MAX_PAYLOAD_BYTES can take: deflate's worst case stores the data as it is, with 5 bytes
 * per stored block (zlib's are at least 16 KiB), plus the gzip header (with a file name) and trailer.
 */
export const MAX_GZIP_BYTES = MAX_PAYLOAD_BYTES + 5 * Math.ceil(MAX_PAYLOAD_BYTES / 16384) + 1024;

/** The file's own name, also for a download still in its `.part` file. */
const fileName = (path: string) => basename(path).replace(/\.part$/, '');
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

function gzipProblem(path: string, error: unknown): DatasetFileError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatasetFileError(`${fileName(path)} is not a complete gzip file (${reason})`);
}

/** The file's size, refusing (by name) a folder, a device, or a file larger than any gzip of a dataset file. */
async function checkedSize(path: string): Promise<number> {
  // A missing file keeps its ENOENT: callers say which folder lacks it.
  const info = await stat(path);
  if (info.isDirectory()) throw new DatasetFileError(`${fileName(path)} is a folder, not a file`);
  if (!info.isFile()) throw new DatasetFileError(`${fileName(path)} is not a regular file`);
  if (info.size > MAX_GZIP_BYTES) {
    throw new DatasetFileError(
      `${fileName(path)} is ${mb(info.size)}, larger than a gzip of the most a dataset file holds (${MAX_PAYLOAD_BYTES / 1048576} MB of data) can be`,
    );
  }
  return info.size;
}

/**
 * The payload size an IDX header promises (magic 0x0000 08 dims, then one 4-byte size per dimension), once enough
 * of it has arrived; null while it has not, Infinity for a payload that is not IDX of unsigned bytes (the bound
 * and core's reader refuse those).
 */
function promisedBytes(head: Uint8Array): { bytes: number; dims: number[] } | null {
  if (head.length < 4) return null;
  const dimCount = head[3];
  if (head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08 || dimCount < 1 || dimCount > 3) return { bytes: Infinity, dims: [] };
  const headerBytes = 4 + 4 * dimCount;
  if (head.length < headerBytes) return null;
  const view = new DataView(head.buffer, head.byteOffset, headerBytes);
  const dims = Array.from({ length: dimCount }, (_, i) => view.getUint32(4 + 4 * i));
  return { bytes: headerBytes + dims.reduce((a, b) => a * b, 1), dims };
}

/** What streaming a file's payload found: the IDX dimensions its header gives (empty when it is not IDX). */
export interface PayloadShape {
  dims: number[];
}

/** Streams the decompressed payload of a .gz file into `take`, refusing by name whatever breaks the rules above. */
async function streamPayload(path: string, take: (chunk: Buffer) => void): Promise<PayloadShape> {
  const name = fileName(path);
  const size = await checkedSize(path);
  const head = new Uint8Array(16);
  let total = 0;
  let promise = null as { bytes: number; dims: number[] } | null;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (total < head.length) head.set(chunk.subarray(0, head.length - total), total);
      total += chunk.length;
      promise ??= promisedBytes(head.subarray(0, Math.min(total, head.length)));
      if (total > MAX_PAYLOAD_BYTES) {
        return done(new DatasetFileError(`${name} decompresses to more than ${MAX_PAYLOAD_BYTES / 1048576} MB, far more than a dataset file holds`));
      }
      if (promise && promise.bytes !== Infinity && promise.bytes > MAX_PAYLOAD_BYTES) {
        return done(new DatasetFileError(`${name}: its IDX header promises ${promise.dims.join('×')} (${promise.bytes} bytes), more than a dataset file holds (${MAX_PAYLOAD_BYTES / 1048576} MB)`));
      }
      if (promise && total > promise.bytes) {
        return done(new DatasetFileError(`${name} decompresses to more than the ${promise.bytes} bytes its IDX header promises (${promise.dims.join('×')})`));
      }
      take(chunk);
      done();
    },
  });
  const gunzip = createGunzip();
  try {
    await pipeline(createReadStream(path), gunzip, sink);
  } catch (error) {
    if (error instanceof DatasetFileError) throw error;
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw gzipProblem(path, error);
    throw new DatasetFileError(`${name}: ${(error as Error).message}`);
  }
  // zlib stops at the end of the gzip data and ignores a zero tail: count what it left unread.
  if (gunzip.bytesWritten < size) {
    throw new DatasetFileError(`${name} has ${size - gunzip.bytesWritten} bytes after the end of its gzip data (${gunzip.bytesWritten} bytes)`);
  }
  return { dims: promise?.dims ?? [] };
}

/** The MD5 (hex) of the decompressed payload of a .gz file, and the IDX dimensions its header gives. */
export async function payloadDigest(path: string): Promise<{ md5: string } & PayloadShape> {
  const hash = createHash('md5');
  const shape = await streamPayload(path, (chunk) => hash.update(chunk));
  return { md5: hash.digest('hex'), ...shape };
}

/** The MD5 (hex) of the decompressed payload of a .gz file. */
export async function payloadMd5(path: string): Promise<string> {
  return (await payloadDigest(path)).md5;
}

/** The whole decompressed payload, streamed and bounded like payloadMd5 (the compressed file is never held whole). */
export async function readPayload(path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  await streamPayload(path, (chunk) => chunks.push(chunk));
  const payload = Buffer.concat(chunks);
  return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
}
