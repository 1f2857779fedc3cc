/**
 * File › Open model…: the host's dialog, the file's size checked before it is read, then its bytes to the engine
 * worker that parses and holds the model (the modelOpenBytes engine call). The other model calls are engine calls
 * (engine-calls.ts) and need no handler here.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MODEL_LIMITS } from '../../model/model-limits';
import type { EngineHost } from '../../engine/engine-host';
import type { Dialogs } from '../files/files';
import type { Handlers } from '../router';
import { ServiceError } from '../router';

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** The bytes of the model file at `path`, refused by size before a byte is read. */
export async function readModelFile(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new ServiceError('io', `cannot read '${basename(path)}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (size > MODEL_LIMITS.modelBytes) throw new ServiceError('bad-file', `${basename(path)} is ${megabytes(size)}; the limit for a model is ${megabytes(MODEL_LIMITS.modelBytes)}`);
  if (size === 0) throw new ServiceError('bad-file', `${basename(path)} is empty`);
  const buffer = await readFile(path);
  // A plain Uint8Array over the Buffer's bytes: it crosses to the worker as the contract's type, with no copy here.
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The dialog's side of the model calls. */
export function createModelHandlers(engine: EngineHost, dialogs: Dialogs | undefined): Pick<Handlers, 'modelOpen'> {
  return {
    async modelOpen() {
      if (!dialogs?.chooseModelToOpen) throw new ServiceError('io', 'this host has no file dialogs: open a model by dropping it in the page');
      const path = await dialogs.chooseModelToOpen();
      if (path === null) return { cancelled: true };
      const bytes = await readModelFile(path);
      return { cancelled: false, ...(await engine.modelOpenBytes({ name: basename(path), bytes })) };
    },
  };
}
