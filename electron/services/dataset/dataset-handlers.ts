/** Binds the contract's dataset calls to the dataset service (a part of handlers.ts, kept apart to stay one idea). */
import type { DatasetService } from './dataset';
import type { DatasetImageStore } from './dataset-images';
import type { Handlers } from '../router';

export type DatasetCallName =
  | 'datasetStatus'
  | 'datasetChooseFolder'
  | 'datasetUseDefault'
  | 'datasetDownloadStart'
  | 'datasetDownloadCancel'
  | 'datasetImages'
  | 'datasetImage';

export function createDatasetHandlers(dataset: DatasetService, images: DatasetImageStore): Pick<Handlers, DatasetCallName> {
  return {
    datasetImages: (request) => images.page(request),
    datasetImage: (request) => images.image(request),
    datasetStatus: () => dataset.status(),
    async datasetChooseFolder({ typedPath }) {
      const status = await dataset.chooseFolder(typedPath);
      return status ? { cancelled: false, status } : { cancelled: true };
    },
    datasetUseDefault: () => dataset.useDefault(),
    async datasetDownloadStart(_request, context) {
      await dataset.startDownload((event) => context.emit('dataset', event));
      return {};
    },
    async datasetDownloadCancel({ discard }) {
      await dataset.cancelDownload(discard);
      return {};
    },
  };
}
