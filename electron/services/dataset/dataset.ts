/**
 * The dataset service: finds the four Fashion-MNIST files (a folder the user picked, else the app's data folder,
 * else Debian's system copy), checks each decompressed payload against the official MD5, and downloads missing
 * files into the app's data folder with progress, cancel and resume. No Electron inside: main and the browser host
 * bind the same object, and its tests run in plain Node.
 */
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DATASET_FILES, OFFICIAL_BASE_URL, type DatasetFileSpec } from './dataset-files';
import { downloadToPart } from './dataset-download';
import { DatasetFileError, payloadDigest, payloadMd5, readPayload } from './dataset-verify';
import { readIdxImages, readIdxLabels } from '../../../core/data/idx';
import { writeFileAtomic } from '../files/atomic-write';
import { ServiceError } from '../router';
import type { DatasetEvent, DatasetFileStatus, DatasetSource, DatasetStatus } from '../../contract/dataset-contract';

export interface DatasetServiceOptions {
  /** The app's own data folder for the dataset: where downloads go. */
  appFolder: string;
  /** Debian's copy; absent on most machines. */
  systemFolder: string;
  /** Where the user's folder choice is remembered. */
  statePath: string;
  /** The folder the files are downloaded from (tests point it at a local server). */
  baseUrl?: string;
  /**
   * Asks the user for a folder: the native dialog in Electron; in the browser host, the path the user typed.
   * Null when they cancelled.
   */
  chooseFolder(typed: string | undefined): Promise<string | null>;
  /** How long a silent server is waited for (dataset-download.ts's DOWNLOAD_IDLE_MS unless a test brings its own). */
  downloadIdleMs?: number;
  /** The files and their checksums; Fashion-MNIST's unless a test brings its own. */
  files?: readonly DatasetFileSpec[];
}

export interface DatasetService {
  status(): Promise<DatasetStatus>;
  /** Uses the folder the user chooses (remembered), or null when they cancelled. */
  chooseFolder(typed?: string): Promise<DatasetStatus | null>;
  /** Forgets the chosen folder: the app's data folder, then the system copy, are used again. */
  useDefault(): Promise<DatasetStatus>;
  /** Starts downloading what the app's data folder lacks; events report progress and the end. */
  startDownload(onEvent: (event: DatasetEvent) => void): Promise<void>;
  /** Stops a download; `discard` also deletes the partial files instead of keeping them to resume. */
  cancelDownload(discard: boolean): Promise<void>;
  /** The folder whose four files are all present, for whoever reads them (null when none is). */
  readyFolder(): Promise<{ folder: string; fashion: boolean } | null>;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Throws (naming the file and the rule) unless the payload is IDX labels, or IDX images of 28×28. */
function checkIdx(spec: DatasetFileSpec, payload: Uint8Array): void {
  if (spec.role === 'trainLabels' || spec.role === 'testLabels') {
    readIdxLabels(payload, spec.name);
    return;
  }
  const { rows, cols } = readIdxImages(payload, spec.name);
  if (rows !== 28 || cols !== 28) throw new DatasetFileError(`${spec.name}: its images are ${rows}×${cols}, but ConvLab's networks take 28×28`);
}

/** Progress is announced every quarter megabyte (and at each file's end), not at every socket chunk. */
const PROGRESS_STEP = 256 * 1024;

export async function createDatasetService(options: DatasetServiceOptions): Promise<DatasetService> {
  const baseUrl = options.baseUrl ?? OFFICIAL_BASE_URL;
  const specs = options.files ?? DATASET_FILES;
  let userFolder: string | null = null;
  try {
    const saved = JSON.parse(await readFile(options.statePath, 'utf8')) as { folder?: unknown };
    if (typeof saved.folder === 'string' && isAbsolute(saved.folder)) userFolder = saved.folder;
  } catch {
    // first start or a damaged file: no folder chosen
  }
  // Checking a 26 MB file takes half a second: remember each verdict (and the item count its header gives) until the file changes.
  const verdicts = new Map<string, { key: string; status: DatasetFileStatus; count: number | null }>();
  let download: { controller: AbortController; done: Promise<void> } | null = null;

  async function checkFile(folder: string, spec: DatasetFileSpec, strict: boolean): Promise<{ status: DatasetFileStatus; count: number | null }> {
    const path = join(folder, spec.name);
    let info;
    try {
      info = await stat(path);
    } catch {
      return { status: { name: spec.name, role: spec.role, state: 'missing' }, count: null };
    }
    const key = `${info.size}:${info.mtimeMs}:${strict}`;
    const known = verdicts.get(path);
    if (known?.key === key) return known;
    let status: DatasetFileStatus;
    let count: number | null = null;
    try {
      const { md5, dims } = await payloadDigest(path);
      count = dims[0] ?? null;
      if (md5 === spec.payloadMd5) status = { name: spec.name, role: spec.role, state: 'verified', bytes: info.size };
      else if (!strict) {
        // Not Fashion-MNIST: it may still be another dataset of 28×28 images (MNIST digits), if core's reader agrees.
        checkIdx(spec, await readPayload(path));
        status = { name: spec.name, role: spec.role, state: 'other', bytes: info.size };
      }
      else {
        status = {
          name: spec.name,
          role: spec.role,
          state: 'bad',
          bytes: info.size,
          message: `${spec.name}: its contents (MD5 ${md5}) are not Fashion-MNIST's (MD5 ${spec.payloadMd5})`,
        };
      }
    } catch (error) {
      const text = (error as Error).message;
      const named = error instanceof DatasetFileError || (error as { code?: unknown }).code === 'format';
      const message = named ? text : `${spec.name}: ${text}`;
      status = { name: spec.name, role: spec.role, state: 'bad', bytes: info.size, message };
    }
    const verdict = { key, status, count };
    verdicts.set(path, verdict);
    return verdict;
  }

  /**
   * The app's and the system's folders must hold Fashion-MNIST itself; a folder the user picked may hold any IDX pair,
   * whose label file must hold as many labels as its image file holds images.
   */
  async function checkFolder(folder: string, source: DatasetSource): Promise<DatasetFileStatus[]> {
    const checked = await Promise.all(specs.map((spec) => checkFile(folder, spec, source !== 'user')));
    const usable = (state: DatasetFileStatus['state']) => state === 'verified' || state === 'other';
    return checked.map(({ status, count }) => {
      const imagesRole = status.role === 'trainLabels' ? 'trainImages' : status.role === 'testLabels' ? 'testImages' : null;
      const images = checked.find((c) => c.status.role === imagesRole);
      if (!images || !usable(status.state) || !usable(images.status.state) || images.count === count) return status;
      return { ...status, state: 'bad', message: `${status.name} holds ${count} labels but ${images.status.name} holds ${images.count} images` };
    });
  }

  async function resolveFolder(): Promise<{ folder: string; source: DatasetSource; files: DatasetFileStatus[] }> {
    if (userFolder) return { folder: userFolder, source: 'user', files: await checkFolder(userFolder, 'user') };
    const app = await checkFolder(options.appFolder, 'app');
    if (app.every((f) => f.state === 'verified')) return { folder: options.appFolder, source: 'app', files: app };
    const system = await checkFolder(options.systemFolder, 'system');
    if (system.every((f) => f.state === 'verified')) return { folder: options.systemFolder, source: 'system', files: system };
    return { folder: options.appFolder, source: 'app', files: app };
  }

  async function status(): Promise<DatasetStatus> {
    const { folder, source, files } = await resolveFolder();
    const usable = files.every((f) => f.state === 'verified' || f.state === 'other');
    return {
      folder,
      source,
      ready: usable,
      fashion: files.every((f) => f.state === 'verified'),
      files,
      downloading: download !== null,
    };
  }

  async function remember(folder: string | null): Promise<void> {
    userFolder = folder;
    await mkdir(join(options.statePath, '..'), { recursive: true });
    await writeFileAtomic(options.statePath, JSON.stringify({ folder }, null, 2));
  }

  async function fetchOne(spec: DatasetFileSpec, index: number, signal: AbortSignal, onEvent: (event: DatasetEvent) => void): Promise<void> {
    const target = join(options.appFolder, spec.name);
    const part = `${target}.part`;
    let announced = -Infinity;
    await downloadToPart(new URL(spec.name, baseUrl).href, part, {
      signal,
      idleMs: options.downloadIdleMs,
      onProgress(received, total) {
        if (received - announced < PROGRESS_STEP && received !== total) return;
        announced = received;
        onEvent({ kind: 'progress', file: spec.name, fileIndex: index, fileCount: specs.length, received, total });
      },
    });
    // A payload that is not the official one (tampered, truncated, a wrong file) is never kept, not even to resume.
    let md5: string;
    try {
      md5 = await payloadMd5(part);
    } catch (error) {
      await rm(part, { force: true });
      throw error instanceof DatasetFileError ? new DatasetFileError(`download refused and deleted: ${error.message}`) : error;
    }
    if (md5 !== spec.payloadMd5) {
      await rm(part, { force: true });
      throw new DatasetFileError(`download refused and deleted: ${spec.name} decompresses to MD5 ${md5}, not the official ${spec.payloadMd5}`);
    }
    // Same folder, so the rename is atomic: a reader sees no file or the whole verified file.
    await rename(part, target);
  }

  async function runDownload(controller: AbortController, onEvent: (event: DatasetEvent) => void): Promise<void> {
    try {
      await mkdir(options.appFolder, { recursive: true });
      const present = await checkFolder(options.appFolder, 'app');
      for (const [index, spec] of specs.entries()) {
        if (present[index].state === 'verified') continue;
        await rm(join(options.appFolder, spec.name), { force: true });
        await fetchOne(spec, index, controller.signal, onEvent);
      }
      // Downloaded files are the app's own: use them even if a folder had been picked before.
      if (userFolder) await remember(null);
      onEvent({ kind: 'done', message: `the four files are in ${options.appFolder}` });
    } catch (error) {
      if (controller.signal.aborted) onEvent({ kind: 'cancelled' });
      else onEvent({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    status,
    async chooseFolder(typed) {
      const chosen = await options.chooseFolder(typed);
      if (chosen === null) return null;
      const folder = resolve(chosen);
      if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
        throw new ServiceError('io', `${folder} is not a folder`);
      }
      const missing = [];
      for (const spec of specs) {
        if (await stat(join(folder, spec.name)).then((s) => s.isDirectory(), () => false)) {
          throw new ServiceError('bad-file', `${folder}: ${spec.name} is a folder, not a file`);
        }
        if (!(await exists(join(folder, spec.name)))) missing.push(spec.name);
      }
      if (missing.length > 0) throw new ServiceError('bad-file', `${folder} lacks ${missing.join(', ')}`);
      await remember(folder);
      return status();
    },
    async useDefault() {
      await remember(null);
      return status();
    },
    async startDownload(onEvent) {
      if (download) throw new ServiceError('busy', 'a download is already running');
      const controller = new AbortController();
      const done = runDownload(controller, onEvent).finally(() => {
        download = null;
      });
      download = { controller, done };
    },
    async cancelDownload(discard) {
      const running = download;
      if (running) {
        running.controller.abort();
        await running.done;
      }
      if (discard) for (const spec of specs) await rm(join(options.appFolder, `${spec.name}.part`), { force: true });
    },
    async readyFolder() {
      const { folder, files } = await resolveFolder();
      if (!files.every((f) => f.state === 'verified' || f.state === 'other')) return null;
      return { folder, fashion: files.every((f) => f.state === 'verified') };
    },
  };
}
