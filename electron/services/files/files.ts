/**
 * The file service: opens, saves, imports and exports labs for the page, with no Electron inside. Paths come only
 * from the injected dialogs (native ones in main.ts), the recent list and the file manager; the page sees display
 * names and ids. Every lab that arrives — from disk, an upload or the page itself — passes the same gate.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ExportKind, ImageFile, OpenedLab, RecoveryInfo, RecentFile, SavedFile } from '../../contract/contract';
import type { LabContent } from '../../contract/files-contract';
import { labDisplayName, LAB_FILE_EXTENSION, MAX_LAB_FILE_BYTES } from '../../contract/lab-file';
import { writeFileAtomic } from './atomic-write';
import { readImageFile } from './image-file';
import type { Autosave } from './autosave';
import { inlineLabCodec, labContentText, type LabCodec } from './lab-codec';
import type { RecentFiles } from './recent-files';
import { ServiceError } from '../router';

export type SaveKind = 'lab' | ExportKind;

/** The host's way of asking the user for a path; null means they cancelled. */
export interface Dialogs {
  chooseLabToOpen(): Promise<string | null>;
  chooseSavePath(kind: SaveKind, suggestedName: string): Promise<string | null>;
  chooseImageToOpen(): Promise<string | null>;
  /** File › Open model…: an ONNX file (absent where the host has no dialogs). */
  chooseModelToOpen?(): Promise<string | null>;
}

/** The browser host has no native dialogs: the page opens by upload and saves by download instead. */
export const NO_DIALOGS: Dialogs = {
  chooseLabToOpen: () => Promise.reject(new ServiceError('io', 'this host has no file dialogs: open a lab by uploading it')),
  chooseSavePath: () => Promise.reject(new ServiceError('io', 'this host has no file dialogs: files are saved as downloads')),
  chooseImageToOpen: () => Promise.reject(new ServiceError('io', 'this host has no file dialogs: import an image by choosing or dropping it in the page')),
};

export const EXTENSIONS: Record<SaveKind, string> = { lab: LAB_FILE_EXTENSION, png: '.png', svg: '.svg', csv: '.csv', py: '.py', onnx: '.onnx' };

export interface FilesService {
  open(path: string): Promise<OpenedLab>;
  openDialog(): Promise<OpenedLab | null>;
  openRecent(id: string): Promise<OpenedLab>;
  /** A lab uploaded in the page: gated exactly like one read from disk, with no path behind it. */
  importText(text: LabContent, fileName: string): Promise<OpenedLab>;
  save(text: LabContent): Promise<SavedFile | null>;
  saveAs(text: LabContent, suggestedName: string): Promise<SavedFile | null>;
  /** The gated, canonical text of a lab, for a download made in the page. */
  encode(text: LabContent, suggestedName: string): Promise<{ text: string; fileName: string }>;
  newLab(): void;
  listRecent(): Promise<RecentFile[]>;
  exportFile(kind: ExportKind, suggestedName: string, data: string | Uint8Array): Promise<SavedFile | null>;
  autosave(text: LabContent): Promise<void>;
  /** Whether the page holds unsaved changes; false also deletes the autosave (nothing is left to lose). */
  setDirty(dirty: boolean): Promise<void>;
  isDirty(): boolean;
  recoveryInfo(): RecoveryInfo | null;
  takeRecovery(): Promise<OpenedLab | null>;
  discardRecovery(): Promise<void>;
  /** A file the operating system asked us to open (argv, second instance, macOS open-file), kept for the page. */
  setPending(path: string): void;
  openPending(): Promise<OpenedLab | null>;
  /** Whether such a file is waiting, so the page asks about unsaved changes only when one is. */
  hasPending(): boolean;
  /** File › Import image: asks for a PNG or JPEG and returns its bytes (null if the user cancelled). */
  openImage(): Promise<ImageFile | null>;
  /** The file the lab was last opened from or saved to (main shows it in the title bar on macOS). */
  currentPath(): string | null;
}

/** A suggested name is a name, never a path: anything that looks like one is reduced to its last part. */
function withExtension(name: string, kind: SaveKind): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[\0<>:"|?*]/g, '_') || 'lab';
  return base.toLowerCase().endsWith(EXTENSIONS[kind]) ? base : `${base}${EXTENSIONS[kind]}`;
}

/** What the host may show of the open lab (macOS: the file in the title bar and its edited dot). */
export type FileStateListener = (state: { path: string | null; dirty: boolean }) => void;

/**
 * The file service; `codec` gates and writes labs (lab-codec.ts: the hosts give it a worker thread, so a large lab
 * never holds their main thread).
 */
export function createFilesService(
  dialogs: Dialogs,
  recent: RecentFiles,
  autosave: Autosave,
  onState?: FileStateListener,
  codec: LabCodec = inlineLabCodec,
): FilesService {
  let currentFile: string | null = null;
  let dirty = false;
  let pending: string | null = null;
  const setCurrent = (path: string | null) => {
    currentFile = path;
    onState?.({ path, dirty });
  };

  async function open(path: string): Promise<OpenedLab> {
    const fileName = basename(path);
    let bytes: Uint8Array;
    try {
      const info = await stat(path);
      if (info.size > MAX_LAB_FILE_BYTES) {
        throw new ServiceError('bad-file', `${fileName}: this file is ${Math.round(info.size / 1048576)} MB; a lab file holds at most ${MAX_LAB_FILE_BYTES / 1048576} MB`);
      }
      bytes = await readFile(path);
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw new ServiceError('io', `${fileName} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const lab = await codec.gate(bytes, fileName);
    setCurrent(path);
    await recent.add(path);
    return { name: labDisplayName(fileName), lab };
  }

  async function saveTo(path: string, text: LabContent): Promise<SavedFile> {
    const canonical = await codec.canonical(text, basename(path));
    try {
      await writeFileAtomic(path, canonical);
    } catch (error) {
      throw new ServiceError('io', `${basename(path)} could not be saved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the lab is still open, unsaved`);
    }
    setCurrent(path);
    await recent.add(path);
    return { name: labDisplayName(basename(path)) };
  }

  async function saveAs(text: LabContent, suggestedName: string): Promise<SavedFile | null> {
    const name = withExtension(suggestedName, 'lab');
    await codec.gate(text, name); // a lab that cannot be saved is refused before the user is asked where
    const path = await dialogs.chooseSavePath('lab', name);
    if (!path) return null;
    // Dialogs on some systems return the name exactly as typed: give it the lab extension.
    return saveTo(path.toLowerCase().endsWith(LAB_FILE_EXTENSION) ? path : `${path.replace(/\.json$/i, '')}${LAB_FILE_EXTENSION}`, text);
  }

  return {
    open,
    async openDialog() {
      const path = await dialogs.chooseLabToOpen();
      return path ? open(path) : null;
    },
    async openImage() {
      const path = await dialogs.chooseImageToOpen();
      return path ? readImageFile(path) : null;
    },
    async openRecent(id) {
      const path = recent.pathOf(id);
      if (!path) throw new ServiceError('io', 'that lab is no longer in the recent list');
      try {
        return await open(path);
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'io') await recent.remove(path);
        throw error;
      }
    },
    async importText(text, fileName) {
      const lab = await codec.gate(text, basename(fileName));
      setCurrent(null);
      return { name: labDisplayName(basename(fileName)), lab };
    },
    save: (text) => (currentFile ? saveTo(currentFile, text) : saveAs(text, 'lab')),
    saveAs,
    encode: async (text, suggestedName) => ({ text: await codec.canonical(text, suggestedName), fileName: withExtension(suggestedName, 'lab') }),
    newLab() {
      setCurrent(null);
    },
    listRecent: () => recent.list(),
    async exportFile(kind, suggestedName, data) {
      const path = await dialogs.chooseSavePath(kind, withExtension(suggestedName, kind));
      if (!path) return null;
      const target = extname(path) ? path : `${path}${EXTENSIONS[kind]}`;
      try {
        await writeFileAtomic(target, data);
      } catch (error) {
        throw new ServiceError('io', `${basename(target)} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      return { name: basename(target) };
    },
    autosave: async (text) => autosave.write({ name: currentFile ? labDisplayName(basename(currentFile)) : null, path: currentFile, text: labContentText(text, 'the autosave') }),
    async setDirty(value) {
      dirty = value;
      onState?.({ path: currentFile, dirty });
      if (!value) await autosave.clear();
    },
    isDirty: () => dirty,
    recoveryInfo: () => autosave.recovery(),
    async takeRecovery() {
      const snapshot = await autosave.takeRecovery();
      if (!snapshot) return null;
      setCurrent(snapshot.path);
      return { name: snapshot.name ?? '', lab: await codec.gate(snapshot.text, snapshot.name ?? 'the autosave') };
    },
    discardRecovery: () => autosave.discardRecovery(),
    setPending(path) {
      pending = path;
    },
    hasPending: () => pending !== null,
    async openPending() {
      const path = pending;
      pending = null;
      return path ? open(path) : null;
    },
    currentPath: () => currentFile,
  };
}
