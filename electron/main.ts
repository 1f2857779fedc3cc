/**
 * ConvLab's main process: app lifecycle, the locked-down window, the native menu, and the IPC door that validates
 * every request (through the shared router) before the engine worker or the file service sees it.
 */
import { app, BrowserWindow, ipcMain, Menu, nativeTheme, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL_NAMES, type EventName, type Events, type MenuCommand } from './contract/contract';
import { labDisplayName } from './contract/lab-file';
import { resolveLocale } from './contract/menu';
import { chooseFolderDialog, electronDialogs } from './file-dialogs';
import { APP_ORIGIN, APP_SCHEME, registerAppScheme, serveAppScheme } from './app-protocol';
import { nativeMenuTemplate } from './native-menu';
import { engineWorkerPath, workerPathOf } from './worker-path';
import { assembleServices } from './assemble/assemble';
import type { FilesService } from './services/files/files';
import { createLabCodecWorker } from './services/files/lab-codec';
import { labPathFromArgv } from './services/files/launch-args';
import type { ClientInfo } from './services/router';
import type { SettingsService } from './services/settings';

const here = fileURLToPath(new URL('.', import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const pageOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;

// Tests (and portable setups) may keep the user's data elsewhere; must be set before the lock below.
if (process.env.CONVLAB_USER_DATA) app.setPath('userData', process.env.CONVLAB_USER_DATA);
if (!app.requestSingleInstanceLock()) app.quit();
app.enableSandbox();
registerAppScheme();

let mainWindow: BrowserWindow | null = null;
let files: FilesService | null = null;
/** A lab named on our own command line (file association), waiting for the file service. */
let earlyPath: string | null = labPathFromArgv(process.argv, process.cwd());
/** Set once the page has settled unsaved changes (or had none): the next 'close' goes through. */
let closeAllowed = false;
let quitting = false;
/** Which page the engine queue serves: the window's page, until it closes. */
let nextPageId = 1;
let pageClient: ClientInfo | undefined;

function send<E extends EventName>(window: BrowserWindow | null, event: E, payload: Events[E]): void {
  if (window && !window.isDestroyed()) window.webContents.send(`convlab-event:${event}`, payload);
}

/**
 * A URL's origin, or null for one that does not parse (never an exception in an event handler of main). Node's URL
 * gives our own `convlab:` scheme an opaque origin ("null"), as it does every scheme it does not know: its scheme and
 * host are the origin Chromium gives it, since main registers it as a standard scheme.
 */
function originOf(url: string | undefined): string | null {
  try {
    const parsed = new URL(url ?? '');
    if (parsed.origin !== 'null') return parsed.origin;
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/** Only our own page, in our own window, may call in: a message from any other frame is ignored. */
function fromOwnPage(event: IpcMainInvokeEvent): boolean {
  return originOf(event.senderFrame?.url) === pageOrigin && BrowserWindow.fromWebContents(event.sender) === mainWindow;
}

/** A lab the operating system asked us to open: the page settles unsaved changes first, then calls openPending. */
function requestOpen(path: string): void {
  if (!files) {
    earlyPath = path;
    return;
  }
  files.setPending(path);
  send(mainWindow, 'openRequested', { name: labDisplayName(path) });
}
// macOS sends files as events, possibly before 'ready': listen from the start.
app.on('open-file', (event, path) => {
  event.preventDefault();
  requestOpen(path);
});
app.on('before-quit', () => {
  quitting = true;
});

function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (originOf(url) !== pageOrigin) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (originOf(url) !== pageOrigin) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'ConvLab',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f7f7f5',
    // The icon built into the renderer's folder: there in development and inside the packaged app alike.
    icon: join(here, '../renderer/icon.png'),
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (new windows are refused anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  closeAllowed = false;
  // Unsaved changes: the page asks Save / Don't save / Cancel, and calls closeWindow when the user has decided.
  window.on('close', (event) => {
    if (closeAllowed || !files?.isDirty()) return;
    event.preventDefault();
    send(window, 'closeRequested', {});
  });
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  // A closed window's waiting engine work goes with it; a new window is a new page.
  const page = new AbortController();
  pageClient = { id: nextPageId++, label: 'the ConvLab window', signal: page.signal };
  window.on('closed', () => {
    page.abort();
    if (mainWindow === window) mainWindow = null;
  });
  return window;
}

function buildMenu(settings: SettingsService): void {
  const current = settings.get();
  const locale = resolveLocale(current.locale, app.getLocale());
  const template = nativeMenuTemplate(locale, current, {
    command: (command: MenuCommand) => send(mainWindow, 'menuCommand', command),
    setting: (patch) => void settings.set(patch),
    quit: () => app.quit(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSessions();
  serveAppScheme(join(here, '../renderer'));

  // Packaged, the worker runs from app.asar.unpacked (see build/electron-builder.yml's asarUnpack).
  const assembled = await assembleServices({
    dataDir: app.getPath('userData'),
    workerFile: engineWorkerPath(here),
    dialogs: (settings) => electronDialogs(() => mainWindow, () => resolveLocale(settings.get().locale, app.getLocale())),
    onFileState: ({ path, dirty }) => {
      // The title itself follows the page's document.title; macOS also shows the file and its edited dot.
      if (process.platform !== 'darwin' || !mainWindow) return;
      mainWindow.setRepresentedFilename(path ?? '');
      mainWindow.setDocumentEdited(dirty);
    },
    // Large labs are gated and written in a worker of their own, so the main process never waits on one.
    labCodec: createLabCodecWorker(workerPathOf(here, 'lab-codec-worker.js')),
    // The page's typed path is ignored here: on the desktop, a folder is chosen only in the native dialog.
    chooseFolder: () => chooseFolderDialog(() => mainWindow),
    info: {
      name: app.getName(),
      version: app.getVersion(),
      host: 'electron',
      platform: process.platform,
      systemLocale: app.getLocale(),
    },
    window: {
      close() {
        closeAllowed = true;
        if (quitting) app.quit();
        else mainWindow?.close();
      },
    },
  });
  const { route, settings } = assembled;
  files = assembled.files;
  if (earlyPath) files.setPending(earlyPath);
  nativeTheme.themeSource = settings.get().theme;

  for (const name of CALL_NAMES) {
    ipcMain.handle(`convlab:${name}`, (event, request: unknown) => {
      if (!fromOwnPage(event)) return { ok: false, error: { code: 'invalid-request', message: 'unknown sender' } };
      return route(name, request, {
        client: pageClient,
        emit: (eventName, payload) => {
          if (!event.sender.isDestroyed()) event.sender.send(`convlab-event:${eventName}`, payload);
        },
      });
    });
  }

  settings.onChange((value) => {
    nativeTheme.themeSource = value.theme;
    buildMenu(settings);
    send(mainWindow, 'settingsChanged', value);
  });
  buildMenu(settings);
  mainWindow = createWindow();

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = labPathFromArgv(argv, workingDirectory);
    if (path) requestOpen(path);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void assembled.close());
}

void start();
