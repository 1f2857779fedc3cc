/** Binds the contract's calls to the main-side services; shared by main.ts and the browser host. */
import type { AppInfo } from '../contract/contract';
import type { DatasetService } from './dataset';
import { createDatasetHandlers } from './dataset-handlers';
import type { DatasetImageStore } from './dataset-images';
import type { EngineHost } from './engine-host';
import { checkTrainingStep, forwardJob, forwardWindowsJob, lossSurfaceJob, probeJob } from './engine-jobs';
import { createEngineQueue, type EngineQueue } from './engine-queue';
import { createFileHandlers, type WindowControl } from './file-handlers';
import { networkInfo } from './network-info';
import { networkForwardJob } from './network-job';
import type { FilesService } from './files';
import { createNetRunHandlers } from './net-runs';
import type { Handlers } from './router';
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
    // Network training: kept per page, bounded per host and priced before it starts (net-runs.ts).
    ...createNetRunHandlers(engine, async () => (await dataset.readyFolder())?.folder ?? null),
  };
}
