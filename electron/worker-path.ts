/**
 * Where main finds its workers (the engine's and the lab codec's). Packaged, main runs from inside app.asar, but a worker thread cannot start from
 * an archive: the worker and its chunks are unpacked beside it (build/electron-builder.yml's asarUnpack).
 */
import { join, sep } from 'node:path';

/** A worker built beside main (`engine-worker.js`, `lab-codec-worker.js`), outside the archive. */
export function workerPathOf(mainDir: string, file: string): string {
  return join(mainDir, file).replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

export function engineWorkerPath(mainDir: string): string {
  return workerPathOf(mainDir, 'engine-worker.js');
}
