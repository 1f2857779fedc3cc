/** The native open and save dialogs, as the file service's Dialogs: the only place a path is chosen. */
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron';
import { dirname, join } from 'node:path';
import { MENU_LABELS, type MenuLocale } from './contract/menu';
import type { Dialogs, SaveKind } from './services/files/files';

// macOS matches only a file's last extension, so a lab is offered there as any .json (the gate still checks it).
const LAB_EXTENSIONS = process.platform === 'darwin' ? ['json'] : ['convlab.json'];

function filters(kind: SaveKind, locale: MenuLocale): FileFilter[] {
  const labels = MENU_LABELS[locale];
  const main: Record<SaveKind, FileFilter> = {
    lab: { name: labels.filterLab, extensions: LAB_EXTENSIONS },
    png: { name: labels.filterPng, extensions: ['png'] },
    svg: { name: labels.filterSvg, extensions: ['svg'] },
    csv: { name: labels.filterCsv, extensions: ['csv'] },
    py: { name: labels.filterPy, extensions: ['py'] },
    onnx: { name: labels.filterOnnx, extensions: ['onnx'] },
  };
  return [main[kind], { name: labels.filterAll, extensions: ['*'] }];
}

/** Dialogs attached to the window (sheets on macOS), starting in the folder last used. */
export function electronDialogs(window: () => BrowserWindow | null, locale: () => MenuLocale): Dialogs {
  let folder: string | null = null;
  const remember = (path: string) => ((folder = dirname(path)), path);
  return {
    async chooseLabToOpen() {
      const options = { properties: ['openFile' as const], defaultPath: folder ?? app.getPath('documents'), filters: filters('lab', locale()) };
      const parent = window();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled || !result.filePaths[0] ? null : remember(result.filePaths[0]);
    },
    async chooseImageToOpen() {
      const labels = MENU_LABELS[locale()];
      const imageFilters = [{ name: labels.filterImage, extensions: ['png', 'jpg', 'jpeg'] }, { name: labels.filterAll, extensions: ['*'] }];
      const options = { properties: ['openFile' as const], defaultPath: folder ?? app.getPath('pictures'), filters: imageFilters };
      const parent = window();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled || !result.filePaths[0] ? null : remember(result.filePaths[0]);
    },
    async chooseModelToOpen() {
      const labels = MENU_LABELS[locale()];
      const options = { properties: ['openFile' as const], defaultPath: folder ?? app.getPath('documents'), filters: [{ name: 'ONNX', extensions: ['onnx'] }, { name: labels.filterAll, extensions: ['*'] }] };
      const parent = window();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled || !result.filePaths[0] ? null : remember(result.filePaths[0]);
    },
    async chooseSavePath(kind, suggestedName) {
      const options = { defaultPath: join(folder ?? app.getPath('documents'), suggestedName), filters: filters(kind, locale()) };
      const parent = window();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : remember(result.filePath);
    },
  };
}

/** A folder for the dataset's four files (no filters: the dataset service checks what it holds). */
export async function chooseFolderDialog(window: () => BrowserWindow | null): Promise<string | null> {
  const options = { properties: ['openDirectory' as const], defaultPath: app.getPath('downloads') };
  const parent = window();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled || !result.filePaths[0] ? null : result.filePaths[0];
}
