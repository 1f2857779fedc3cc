/**
 * The application menu, described once: main.ts turns it into Electron's native menu, and the renderer draws the
 * same entries as an in-page menu bar where there is no native one (the browser host). Labels are translated here
 * because the native menu is built in main, before and outside the page.
 */
import type { MenuCommand, Settings } from './contract';

export type MenuLocale = 'en' | 'zh-CN';

export type MenuItem =
  | { kind: 'command'; id: string; label: MenuLabel; command: MenuCommand; accelerator?: string }
  | { kind: 'setting'; id: string; label: MenuLabel; setting: { [K in keyof Settings]-?: { key: K; value: Settings[K] } }[keyof Settings] }
  | { kind: 'quit'; id: string; label: MenuLabel; accelerator?: string }
  | { kind: 'submenu'; id: string; label: MenuLabel; items: MenuItem[] }
  | { kind: 'separator'; id: string };

export interface TopMenu {
  id: string;
  label: MenuLabel;
  items: MenuItem[];
}

const LABELS = {
  en: {
    file: 'File', new: 'New Lab', open: 'Open…', openModel: 'Open Model…', openRecent: 'Open Recent…', importImage: 'Import Image…', save: 'Save', saveAs: 'Save As…', export: 'Export…', exportOnnx: 'Export Network as ONNX…', exportPytorch: 'Export Network as PyTorch Script…', quit: 'Quit',
    filterLab: 'ConvLab lab', filterPng: 'PNG image', filterSvg: 'SVG image', filterCsv: 'CSV values', filterPy: 'Python script', filterOnnx: 'ONNX model', filterImage: 'PNG or JPEG image', filterAll: 'All files',
    edit: 'Edit', undo: 'Undo', redo: 'Redo',
    view: 'View', zoomIn: 'Zoom In', zoomOut: 'Zoom Out', zoomReset: 'Actual Size',
    theme: 'Theme', themeSystem: 'Follow the System', themeLight: 'Light', themeDark: 'Dark',
    language: 'Language', languageSystem: 'Follow the System', languageEn: 'English', languageZh: '中文（简体）',
    help: 'Help', about: 'About ConvLab', guide: 'Chapter 5 Guide',
  },
  'zh-CN': {
    file: '文件', new: '新建实验', open: '打开…', openModel: '打开模型…', openRecent: '最近打开…', importImage: '导入图片…', save: '保存', saveAs: '另存为…', export: '导出…', exportOnnx: '将网络导出为 ONNX…', exportPytorch: '将网络导出为 PyTorch 脚本…', quit: '退出',
    filterLab: 'ConvLab 实验', filterPng: 'PNG 图像', filterSvg: 'SVG 图像', filterCsv: 'CSV 数值', filterPy: 'Python 脚本', filterOnnx: 'ONNX 模型', filterImage: 'PNG 或 JPEG 图片', filterAll: '所有文件',
    edit: '编辑', undo: '撤销', redo: '重做',
    view: '视图', zoomIn: '放大', zoomOut: '缩小', zoomReset: '实际大小',
    theme: '主题', themeSystem: '跟随系统', themeLight: '浅色', themeDark: '深色',
    language: '语言', languageSystem: '跟随系统', languageEn: 'English', languageZh: '中文（简体）',
    help: '帮助', about: '关于 ConvLab', guide: '第 5 章导读',
  },
} as const satisfies Record<MenuLocale, Record<string, string>>;

export type MenuLabel = keyof (typeof LABELS)['en'];
export const MENU_LABELS: Record<MenuLocale, Record<MenuLabel, string>> = LABELS;

/** Commands whose feature exists; the others are shown disabled, never faked. */
export const AVAILABLE_COMMANDS: ReadonlySet<MenuCommand> = new Set<MenuCommand>([
  'new', 'open', 'openModel', 'openRecent', 'importImage', 'save', 'saveAs', 'export', 'exportOnnx', 'exportPytorch',
  'undo', 'redo', 'zoomIn', 'zoomOut', 'zoomReset', 'about', 'guide',
]);

type ChoiceKey = 'theme' | 'locale';

/** A submenu of one setting's choices, each entry `${key}-${value}` setting that value. */
function choices<K extends ChoiceKey>(id: string, label: MenuLabel, key: K, values: [Settings[K], MenuLabel][]): MenuItem {
  const items = values.map(([value, itemLabel]): MenuItem => ({ kind: 'setting', id: `${key}-${value}`, label: itemLabel, setting: { key, value } as Extract<MenuItem, { kind: 'setting' }>['setting'] }));
  return { kind: 'submenu', id, label, items };
}

export const MENU: readonly TopMenu[] = [
  {
    id: 'file',
    label: 'file',
    items: [
      { kind: 'command', id: 'file-new', label: 'new', command: 'new', accelerator: 'CmdOrCtrl+N' },
      { kind: 'command', id: 'file-open', label: 'open', command: 'open', accelerator: 'CmdOrCtrl+O' },
      { kind: 'command', id: 'file-open-model', label: 'openModel', command: 'openModel', accelerator: 'Shift+CmdOrCtrl+O' },
      { kind: 'command', id: 'file-open-recent', label: 'openRecent', command: 'openRecent' },
      { kind: 'command', id: 'file-import-image', label: 'importImage', command: 'importImage', accelerator: 'CmdOrCtrl+I' },
      { kind: 'separator', id: 'file-sep-1' },
      { kind: 'command', id: 'file-save', label: 'save', command: 'save', accelerator: 'CmdOrCtrl+S' },
      { kind: 'command', id: 'file-save-as', label: 'saveAs', command: 'saveAs', accelerator: 'Shift+CmdOrCtrl+S' },
      { kind: 'command', id: 'file-export', label: 'export', command: 'export', accelerator: 'CmdOrCtrl+E' },
      { kind: 'command', id: 'file-export-onnx', label: 'exportOnnx', command: 'exportOnnx' },
      { kind: 'command', id: 'file-export-pytorch', label: 'exportPytorch', command: 'exportPytorch' },
      { kind: 'separator', id: 'file-sep-2' },
      { kind: 'quit', id: 'file-quit', label: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  },
  {
    id: 'edit',
    label: 'edit',
    items: [
      { kind: 'command', id: 'edit-undo', label: 'undo', command: 'undo', accelerator: 'CmdOrCtrl+Z' },
      { kind: 'command', id: 'edit-redo', label: 'redo', command: 'redo', accelerator: 'Shift+CmdOrCtrl+Z' },
    ],
  },
  {
    id: 'view',
    label: 'view',
    items: [
      { kind: 'command', id: 'view-zoom-in', label: 'zoomIn', command: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
      { kind: 'command', id: 'view-zoom-out', label: 'zoomOut', command: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      { kind: 'command', id: 'view-zoom-reset', label: 'zoomReset', command: 'zoomReset', accelerator: 'CmdOrCtrl+0' },
      { kind: 'separator', id: 'view-sep-1' },
      choices('view-theme', 'theme', 'theme', [['system', 'themeSystem'], ['light', 'themeLight'], ['dark', 'themeDark']]),
      choices('view-language', 'language', 'locale', [['system', 'languageSystem'], ['en', 'languageEn'], ['zh-CN', 'languageZh']]),
    ],
  },
  {
    id: 'help',
    label: 'help',
    items: [
      { kind: 'command', id: 'help-guide', label: 'guide', command: 'guide', accelerator: 'F1' },
      { kind: 'command', id: 'help-about', label: 'about', command: 'about' },
    ],
  },
];

/** The language a setting resolves to, given the operating system's language. */
export function resolveLocale(setting: Settings['locale'], systemLocale: string): MenuLocale {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
