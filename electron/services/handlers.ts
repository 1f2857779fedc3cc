/** Binds the contract's calls to the main-side services; shared by main.ts and the browser host. */
import type { AppInfo } from '../contract/contract';
import type { DatasetService } from './dataset/dataset';
import { createDatasetHandlers } from './dataset/dataset-handlers';
import type { DatasetImageStore } from './dataset/dataset-images';
import type { EngineHost } from '../engine/engine-host';
import { checkTrainingStep, forwardJob, forwardWindowsJob, lossSurfaceJob, probeJob } from '../engine/engine-jobs';
import { createEngineQueue, type EngineQueue } from '../engine/engine-queue';
import { createFileHandlers, type WindowControl } from './files/file-handlers';
import { networkInfo } from '../explorer/network-info';
import { networkForwardJob } from '../explorer/network-job';
import type { FilesService } from './files/files';
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
  /** Where forward, probe and loss-surface requests wait their turn; by default one lane on `engine`. */
  queue?: EngineQueue;
}

/** The waiting room's bounds: enough for every panel of a few tabs, small enough that waiting stays short. */
export const QUEUE_BOUNDS = { maxWaiting: 32, maxWaitingPerClient: 8 };

export function createHandlers({ engine, settings, info, files, window, dataset, datasetImages, queue }: Services): Handlers {
  const waiting = queue ?? createEngineQueue({ lanes: [{ name: 'engine', engine, maxMultiplyAdds: Infinity }], ...QUEUE_BOUNDS });
  return {
    ...createFileHandlers(files, window),
    ...createDatasetHandlers(dataset, datasetImages),
    appInfo: () => info,
    getSettings: () => settings.get(),
    setSettings: (patch) => settings.set(patch),
    forward: (request, { client }) => waiting.run(client, forwardJob(request), (e) => e.forward(request)),
    forwardWindows: (request, { client }) => waiting.run(client, forwardWindowsJob(request), (e) => e.forwardWindows(request)),
    probe: (request, { client }) => waiting.run(client, probeJob(request), (e) => e.probe(request)),
    trainStart: (request, context) => {
      checkTrainingStep(request);
      return engine.trainStart(request, (event) => context.emit('training', event));
    },
    trainControl: (request) => engine.trainControl(request),
    lossSurface: (request, { client }) => waiting.run(client, lossSurfaceJob(request), (e) => e.lossSurface(request)),
    networkInfo: (request) => networkInfo(request),
    networkForward: (request, { client }) => waiting.run(client, networkForwardJob(request), (e) => e.networkForward(request)),
    async netTrainStart(request, context) {
      const ready = await dataset.readyFolder();
      if (!ready) throw new ServiceError('bad-file', 'the dataset is not complete: open the Dataset tab to download it or choose its folder');
      return engine.netTrainStart(request, ready.folder, (event) => context.emit('netTraining', event));
    },
    netTrainControl: (request) => engine.netTrainControl(request),
    netPredict: (request) => engine.netPredict(request),
    netSnapshot: (request) => engine.netSnapshot(request),
    netUnitGradient: (request) => engine.netUnitGradient(request),
    // The dataset is optional here: without it a loaded net still classifies drawings.
    netLoad: async (request) => engine.netLoad(request, (await dataset.readyFolder())?.folder ?? null),
  };
}
