/** Binds the contract's calls to the main-side services; shared by main.ts and the browser host. */
import type { AppInfo } from '../contract/contract';
import type { DatasetService } from './dataset';
import { createDatasetHandlers } from './dataset-handlers';
import type { DatasetImageStore } from './dataset-images';
import type { EngineHost } from './engine-host';
import { createFileHandlers, type WindowControl } from './file-handlers';
import type { FilesService } from './files';
import { ServiceError, type Handlers } from './router';
import type { SettingsService } from './settings';

export interface Services {
  engine: EngineHost;
  settings: SettingsService;
  info: AppInfo;
  files: FilesService;
  window: WindowControl;
  dataset: DatasetService;
  datasetImages: DatasetImageStore;
}

export function createHandlers({ engine, settings, info, files, window, dataset, datasetImages }: Services): Handlers {
  return {
    ...createFileHandlers(files, window),
    ...createDatasetHandlers(dataset, datasetImages),
    appInfo: () => info,
    getSettings: () => settings.get(),
    setSettings: (patch) => settings.set(patch),
    forward: (request) => engine.forward(request),
    probe: (request) => engine.probe(request),
    trainStart: (request, context) => engine.trainStart(request, (event) => context.emit('training', event)),
    trainControl: (request) => engine.trainControl(request),
    lossSurface: (request) => engine.lossSurface(request),
    async netTrainStart(request, context) {
      const ready = await dataset.readyFolder();
      if (!ready) throw new ServiceError('bad-file', 'the dataset is not complete: open the Dataset tab to download it or choose its folder');
      return engine.netTrainStart(request, ready.folder, (event) => context.emit('netTraining', event));
    },
    netTrainControl: (request) => engine.netTrainControl(request),
    netPredict: (request) => engine.netPredict(request),
  };
}
