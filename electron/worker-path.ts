/**
 * Where main finds its worker threads (the engine's, the lab codec's, the image decoders'). Packaged, main runs from inside app.asar, but a worker thread cannot start from
 * an archive: the worker and its chunks are unpacked beside it (build/electron-builder.yml's asarUnpack).
 */
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A worker built beside main (`engine-worker.js`, `lab-codec-worker.js`), outside the archive. */
export function workerPathOf(mainDir: string, file: string): string {
  return join(mainDir, file).replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

export function engineWorkerPath(mainDir: string): string {
  return workerPathOf(mainDir, 'engine-worker.js');
}

/**
 * The image decode worker beside the engine worker it is built with (electron.vite.config.ts), or, run from source
 * (the engine worker a .ts file), its own source file.
 */
export function imageDecodeWorkerBeside(engineWorker: string | URL): URL {
  const engine = typeof engineWorker === 'string' ? pathToFileURL(engineWorker) : engineWorker;
  const fromSource = engine.pathname.endsWith('.ts');
  return new URL(fromSource ? '../services/dataset/image-decode-worker.ts' : './image-decode-worker.js', engine);
}
