/** Binds the contract's file calls to the file service (a part of handlers.ts, kept apart to stay one idea). */
import type { Chosen } from '../../contract/contract';
import type { FilesService } from './files';
import type { Handlers } from '../router';

export type FileCallName =
  | 'newLab'
  | 'openLab'
  | 'openRecent'
  | 'openPending'
  | 'importLab'
  | 'saveLab'
  | 'saveLabAs'
  | 'encodeLab'
  | 'listRecent'
  | 'autosave'
  | 'setDirty'
  | 'recoveryInfo'
  | 'takeRecovery'
  | 'discardRecovery'
  | 'exportFile'
  | 'openImage'
  | 'closeWindow';

/** What only the host can do to its window: close it once the page has settled unsaved changes. */
export interface WindowControl {
  close(): void;
}

const chosen = <T extends object>(value: T | null): Chosen<T> => (value ? { cancelled: false, ...value } : { cancelled: true });

export function createFileHandlers(files: FilesService, window: WindowControl): Pick<Handlers, FileCallName> {
  return {
    newLab: () => (files.newLab(), {}),
    openLab: async () => chosen(await files.openDialog()),
    openRecent: ({ id }) => files.openRecent(id),
    openPending: async () => chosen(await files.openPending()),
    importLab: ({ text, fileName }) => files.importText(text, fileName),
    saveLab: async ({ text }) => chosen(await files.save(text)),
    saveLabAs: async ({ text, fileName }) => chosen(await files.saveAs(text, fileName)),
    encodeLab: ({ text, fileName }) => files.encode(text, fileName),
    openImage: async () => chosen(await files.openImage()),
    listRecent: async () => ({ files: await files.listRecent() }),
    autosave: async ({ text }) => (await files.autosave(text), {}),
    setDirty: async ({ dirty }) => (await files.setDirty(dirty), {}),
    recoveryInfo: () => ({ recovery: files.recoveryInfo(), pending: files.hasPending() }),
    takeRecovery: async () => chosen(await files.takeRecovery()),
    discardRecovery: async () => (await files.discardRecovery(), {}),
    exportFile: async ({ kind, fileName, data }) => chosen(await files.exportFile(kind, fileName, data)),
    closeWindow: () => (window.close(), {}),
  };
}
