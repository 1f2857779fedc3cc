/**
 * Decompresses a dataset file as a stream and hashes its payload, so a 26 MB .gz is checked without holding it whole
 * and without blocking the event loop. A truncated or damaged gzip, or a payload past the bound, is refused by name.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { MAX_PAYLOAD_BYTES } from './dataset-files';

/** A dataset file that cannot be used; the message names the file and what is wrong with it. */
export class DatasetFileError extends Error {}

/** The file's own name, also for a download still in its `.part` file. */
const fileName = (path: string) => basename(path).replace(/\.part$/, '');

function gzipProblem(path: string, error: unknown): DatasetFileError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatasetFileError(`${fileName(path)} is not a complete gzip file (${reason})`);
}

function tooLarge(path: string): DatasetFileError {
  return new DatasetFileError(`${fileName(path)} decompresses to more than ${MAX_PAYLOAD_BYTES / 1048576} MB, far more than a dataset file holds`);
}

/** The MD5 (hex) of the decompressed payload of a .gz file. */
export async function payloadMd5(path: string): Promise<string> {
  const hash = createHash('md5');
  let total = 0;
  const sink = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > MAX_PAYLOAD_BYTES) return done(tooLarge(path));
      hash.update(chunk);
      done();
    },
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), sink);
  } catch (error) {
    if (error instanceof DatasetFileError) throw error;
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw gzipProblem(path, error);
    throw error;
  }
  return hash.digest('hex');
}

const gunzipAsync = promisify(gunzip);

/** The whole decompressed payload (zlib works off the main thread), bounded like payloadMd5. */
export async function readPayload(path: string): Promise<Uint8Array> {
  const compressed = await readFile(path);
  let payload: Buffer;
  try {
    payload = await gunzipAsync(compressed, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(path);
    throw gzipProblem(path, error);
  }
  return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
}
