/**
 * The main side put together, in the order it must be: the recent list, then the sweep of what killed saves left
 * (before anything is written), settings, the engine (a background pool for heavy work and a worker of its own for
 * drawing), the lab files, the dataset, and the router over all their handlers. main.ts and the browser host both
 * call this; they differ only in what they pass (dialogs, the app's description, the window, a guard of tabs).
 */
import { join } from 'node:path';
import type { AppInfo } from '../contract/contract';
import { createEngineHost, type EngineHostOptions } from '../engine/engine-host';
import { createEnginePool, type EnginePool } from '../engine/engine-pool';
import { createEngineQueue, twoLanes } from '../engine/engine-queue';
import { createDatasetService, type DatasetServiceOptions } from '../services/dataset/dataset';
import { SYSTEM_DATASET_FOLDER } from '../services/dataset/dataset-files';
import { createDatasetImageStore } from '../services/dataset/dataset-images';
import { createFolderDatasetService } from '../services/dataset/folder-dataset-service';
import { createDecodePool } from '../services/dataset/image-decode-pool';
import { createAutosave } from '../services/files/autosave';
import type { WindowControl } from '../services/files/file-handlers';
import { createFilesService, type Dialogs, type FilesService, type FileStateListener } from '../services/files/files';
import type { LabCodec } from '../services/files/lab-codec';
import { createRecentFiles } from '../services/files/recent-files';
import { sweepLeftovers } from '../services/files/startup-sweep';
import { createHandlers, QUEUE_BOUNDS } from './handlers';
import { createRouter, type Handlers, type Router } from '../services/router';
import { createSettingsService, type SettingsService } from '../services/settings';
import { imageDecodeWorkerBeside } from '../worker-path';

export interface AssembleOptions {
  /** Where settings, the recent list, autosaves and the downloaded dataset live. */
  dataDir: string;
  workerFile: string | URL;
  /** For every engine worker (the browser host run from source loads them through tsx). */
  workerOptions?: EngineHostOptions;
  /** The host's open and save dialogs, which may speak the language the settings choose. */
  dialogs(settings: SettingsService): Dialogs;
  /** Told when the lab's file or its unsaved state changes. */
  onFileState?: FileStateListener;
  /**
   * Gates and writes labs for the file service: the hosts give it a worker thread (lab-codec.ts's createLabCodecWorker),
   * so a large lab never holds their main thread; without one, labs are gated in place.
   */
  labCodec?: LabCodec;
  /** How the user names the dataset's folder: a native dialog, or a path typed in the page. */
  chooseFolder: DatasetServiceOptions['chooseFolder'];
  info: AppInfo;
  window: WindowControl;
  /** Wraps the handlers before the router sees them (the browser host's guard of tabs). */
  guard?: (handlers: Handlers) => Handlers;
}

export interface Assembled {
  route: Router;
  settings: SettingsService;
  files: FilesService;
  /** Stops the engine's workers and the lab codec's. */
  close(): Promise<void>;
}

/** Builds the services in order and the router over them. */
export async function assembleServices(options: AssembleOptions): Promise<Assembled> {
  const { dataDir } = options;
  const recent = await createRecentFiles(join(dataDir, 'recent.json'));
  await sweepLeftovers(dataDir, recent);
  const settings = await createSettingsService(join(dataDir, 'settings.json'));
  // Heavy work (training, network passes) spreads over a pool of workers, one per core unless settings say fewer;
  // a worker of its own answers drawing, so a stroke never waits behind an epoch. The pool runs in the background, so
  // an epoch never starves the thread that reads every page's messages either.
  const engine: EnginePool = createEnginePool(options.workerFile, { ...options.workerOptions, size: settings.get().engineWorkers, background: true });
  const interactive = createEngineHost(options.workerFile, options.workerOptions);
  const dialogs = options.dialogs(settings);
  const files = createFilesService(dialogs, recent, await createAutosave(dataDir), options.onFileState, options.labCodec);
  const dataset = await createDatasetService({
    appFolder: join(dataDir, 'datasets', 'fashion-mnist'),
    systemFolder: SYSTEM_DATASET_FOLDER,
    statePath: join(dataDir, 'dataset.json'),
    baseUrl: process.env.CONVLAB_DATASET_URL,
    chooseFolder: options.chooseFolder,
  });
  const handlers = createHandlers({
    engine,
    queue: createEngineQueue({ lanes: twoLanes(interactive, engine, Math.max(1, engine.size - 1)), ...QUEUE_BOUNDS }),
    settings,
    info: options.info,
    files,
    dialogs,
    window: options.window,
    dataset,
    datasetImages: createDatasetImageStore(dataset),
    // Image folders decode on as many threads as the engine pool has, started for an opening and ended after it.
    folderDataset: createFolderDatasetService({
      cacheDir: join(dataDir, 'image-folders'),
      decoder: () => createDecodePool(imageDecodeWorkerBeside(options.workerFile), { size: engine.size, execArgv: options.workerOptions?.execArgv }),
    }),
  });
  const route = createRouter(options.guard ? options.guard(handlers) : handlers);
  return {
    route,
    settings,
    files,
    close: async () => {
      await Promise.all([engine.close(), interactive.close(), options.labCodec?.close()]);
    },
  };
}
