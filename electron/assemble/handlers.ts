/** Binds the contract's calls to the main-side services; assemble.ts builds them for main.ts and the browser host alike. */
import type { AppInfo } from '../contract/contract';
import type { DatasetService } from '../services/dataset/dataset';
import { createDatasetHandlers } from '../services/dataset/dataset-handlers';
import type { DatasetImageStore } from '../services/dataset/dataset-images';
import { createFolderDatasetHandlers } from '../services/dataset/folder-dataset-handlers';
import type { FolderDatasetService } from '../services/dataset/folder-dataset-service';
import type { EngineHost } from '../engine/engine-host';
import { createEngineHandlers } from '../engine/engine-handlers';
import { createEngineQueue, type EngineQueue } from '../engine/engine-queue';
import { createNetRunHandlers } from '../engine/net-runs';
import { createFileHandlers, type WindowControl } from '../services/files/file-handlers';
import { explorerInfo } from '../explorer/network-info';
import type { FilesService } from '../services/files/files';
import type { Handlers } from '../services/router';
import type { SettingsService } from '../services/settings';

export interface Services {
  engine: EngineHost;
  settings: SettingsService;
  info: AppInfo;
  files: FilesService;
  window: WindowControl;
  dataset: DatasetService;
  datasetImages: DatasetImageStore;
  folderDataset: FolderDatasetService;
  /** Where forward, probe and loss-surface requests wait their turn; by default one lane on `engine`. */
  queue?: EngineQueue;
}

/** The waiting room's bounds: enough for every panel of a few tabs, small enough that waiting stays short. */
export const QUEUE_BOUNDS = { maxWaiting: 32, maxWaitingPerClient: 8 };

export function createHandlers({ engine, settings, info, files, window, dataset, datasetImages, folderDataset, queue }: Services): Handlers {
  const waiting = queue ?? createEngineQueue({ lanes: [{ name: 'engine', engine, maxMultiplyAdds: Infinity }], ...QUEUE_BOUNDS });
  // The dataset is optional to a saved net loaded back: without it a loaded net still classifies drawings.
  const engineHandlers = createEngineHandlers(engine, waiting, async () => (await dataset.readyFolder())?.folder ?? null);
  return {
    ...createFileHandlers(files, window),
    ...createDatasetHandlers(dataset, datasetImages),
    ...createFolderDatasetHandlers(folderDataset),
    appInfo: () => info,
    getSettings: () => settings.get(),
    setSettings: (patch) => settings.set(patch),
    explorerInfo: (request) => explorerInfo(request),
    ...engineHandlers,
    // Network training: kept per page, bounded per host and priced before it starts (net-runs.ts).
    ...createNetRunHandlers(engineHandlers),
  };
}
