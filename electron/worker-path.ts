/**
 * Where main finds the engine worker. Packaged, main runs from inside app.asar, but a worker thread cannot start from
 * an archive: the worker and its chunks are unpacked beside it (build/electron-builder.yml's asarUnpack).
 */
import { join, sep } from 'node:path';

export function engineWorkerPath(mainDir: string): string {
  return join(mainDir, 'engine-worker.js').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}
