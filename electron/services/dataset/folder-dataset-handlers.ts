/** Binds the contract's image-folder calls to the folder dataset service (a part of handlers.ts, kept apart to stay one idea). */
import type { Handlers } from '../router';
import type { FolderDatasetService } from './folder-dataset-service';

export type FolderDatasetCallName = 'folderDatasetOpen' | 'folderDatasetCancel';

export function createFolderDatasetHandlers(folders: FolderDatasetService): Pick<Handlers, FolderDatasetCallName> {
  return {
    // Progress goes to the page that asked; the answer comes when the folder is open (or refused, or cancelled). A
    // page that goes away (a closed tab) cancels its opening: nobody would read the answer.
    async folderDatasetOpen(request, context) {
      const gone = () => void folders.cancel();
      context.client?.signal.addEventListener('abort', gone, { once: true });
      try {
        return await folders.open(request, (event) => context.emit('folderDataset', event));
      } finally {
        context.client?.signal.removeEventListener('abort', gone);
      }
    },
    async folderDatasetCancel() {
      await folders.cancel();
      return {};
    },
  };
}
