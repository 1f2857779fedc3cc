/**
 * The decode thread of image-folder datasets: reads, checks, decodes and fits a batch of images off the main
 * process, answering their pixels in one transferred buffer and, for each file it skipped, the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { decodeImage } from './image-decode';
import { fitImage, fittedBytes } from './image-fit';
import type { DecodeReply, DecodeRequest } from './image-decode-protocol';

if (!parentPort) throw new Error('image-decode-worker must run as a worker thread');
const port = parentPort;

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ENOENT') return 'vanished after the folder was scanned';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}

port.on('message', (request: DecodeRequest) => {
  const bytes = fittedBytes(request.settings);
  const pixels = new Uint8Array(bytes * request.paths.length);
  const refusals: (string | null)[] = [];
  for (const [i, path] of request.paths.entries()) {
    try {
      fitImage(decodeImage(readFileSync(join(request.root, path))), request.settings, pixels, i * bytes);
      refusals.push(null);
    } catch (error) {
      refusals.push(reasonOf(error));
    }
  }
  const reply: DecodeReply = { id: request.id, pixels, refusals };
  port.postMessage(reply, [pixels.buffer]);
});
