/** Binds the contract's image-folder calls to the folder dataset service (a part of handlers.ts, kept apart to stay one idea). */
import type { Handlers } from '../router';
import type { FolderDatasetService } from './folder-dataset-service';

export type FolderDatasetCallName = 'folderDatasetOpen' | 'folderDatasetCancel';

export function createFolderDatasetHandlers(folders: FolderDatasetService): Pick<Handlers, FolderDatasetCallName> {
  return {
    // Progress goes to the page that asked; the answer comes when the folder is open (or refused, or cancelled).
    folderDatasetOpen: (request, context) => folders.open(request, (event) => context.emit('folderDataset', event)),
    async folderDatasetCancel() {
      await folders.cancel();
      return {};
    },
  };
}
