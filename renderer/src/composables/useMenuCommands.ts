/**
 * What each menu command does in the page. The native menu (Electron), the in-page menu bar (browser host) and the
 * keyboard shortcuts all end here, so a command behaves the same whichever way it was given.
 */
import type { MenuCommand } from '../../../electron/contract/contract';
import { AVAILABLE_COMMANDS } from '../../../electron/contract/menu';
import { useFilesStore } from '../stores/files';
import { useNetworkExport } from './useNetworkExport';
import { useLabStore } from '../stores/lab';
import { useModelStore } from '../stores/model';
import { useSettingsStore } from '../stores/settings';
import { useViewStore } from '../stores/view';

export function useMenuCommands() {
  const lab = useLabStore();
  const files = useFilesStore();
  const settings = useSettingsStore();
  const view = useViewStore();
  const { exportNetwork } = useNetworkExport();
  const model = useModelStore();

  const handlers: Partial<Record<MenuCommand, () => void>> = {
    new: () => void files.newLab(),
    open: () => void files.open(),
    openModel: () => void model.open(),
    openRecent: () => (files.recentOpen = true),
    save: () => void files.save(),
    saveAs: () => void files.saveAs(),
    export: () => (files.exportOpen = true),
    exportOnnx: () => void exportNetwork('onnx'),
    exportPytorch: () => void exportNetwork('py'),
    importImage: () => view.importImageRequests++,
    undo: lab.undo,
    redo: lab.redo,
    zoomIn: () => void settings.zoomBy(1),
    zoomOut: () => void settings.zoomBy(-1),
    zoomReset: () => void settings.zoomBy(0),
    about: () => (view.aboutOpen = true),
    guide: () => (view.guideOpen = true),
  };

  function run(command: MenuCommand): void {
    if (AVAILABLE_COMMANDS.has(command)) handlers[command]?.();
  }

  /** The browser host has no native accelerators: the page binds the same keys. */
  function commandForKey(event: KeyboardEvent): MenuCommand | null {
    const mod = event.ctrlKey || event.metaKey;
    if (!mod) return event.key === 'F1' ? 'guide' : null;
    const key = event.key.toLowerCase();
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 's') return event.shiftKey ? 'saveAs' : 'save';
    if (key === 'o') return event.shiftKey ? 'openModel' : 'open';
    if (key === 'i') return 'importImage';
    if (key === 'e') return 'export';
    if (key === 'y') return 'redo';
    if (key === '=' || key === '+') return 'zoomIn';
    if (key === '-') return 'zoomOut';
    if (key === '0') return 'zoomReset';
    return null;
  }

  return { run, commandForKey };
}
