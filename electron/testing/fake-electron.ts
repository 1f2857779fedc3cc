/**
 * A stand-in for the `electron` module, for running main.ts and its glue in unit tests where no Electron binary
 * exists. It implements only what ConvLab calls, records every call, and lets a test raise the events Electron
 * would (app events, window close, web-contents events, IPC invocations). Not a mock of behaviour we test: the
 * code under test is main's own; this is the world around it.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';

export class FakeWebContents extends EventEmitter {
  readonly sent: [string, unknown][] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export function createFakeElectron(userData: string) {
  const windows: FakeBrowserWindow[] = [];
  const paths: Record<string, string> = { userData, documents: userData, pictures: userData };
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));

  class FakeApp extends EventEmitter {
    isPackaged = false;
    quitCalls = 0;
    singleInstance = true;
    sandboxed = false;
    whenReady = () => ready;
    /** Lets main's start() run (as Electron's 'ready'). */
    becomeReady = () => readyResolve();
    setPath(name: string, value: string) {
      paths[name] = value;
    }
    getPath(name: string) {
      return paths[name] ?? userData;
    }
    requestSingleInstanceLock() {
      return this.singleInstance;
    }
    enableSandbox() {
      this.sandboxed = true;
    }
    quit() {
      this.quitCalls++;
    }
    getLocale() {
      return 'en-US';
    }
    getName() {
      return 'ConvLab';
    }
    getVersion() {
      return '0.1.0';
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    destroyed = false;
    minimized = false;
    calls: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    static fromWebContents = (contents: FakeWebContents) => windows.find((w) => w.webContents === contents) ?? null;
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.calls.push('restore');
      this.minimized = false;
    }
    focus() {
      this.calls.push('focus');
    }
    show() {
      this.calls.push('show');
    }
    /** As Electron does: 'close' may be prevented; if not, the window is destroyed and 'closed' follows. */
    close() {
      this.calls.push('close');
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return false;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      return true;
    }
    setRepresentedFilename(path: string) {
      this.calls.push(`represented ${path}`);
    }
    setDocumentEdited(edited: boolean) {
      this.calls.push(`edited ${edited}`);
    }
  }

  const ipcHandlers = new Map<string, (event: unknown, request: unknown) => unknown>();
  const menus: { template: MenuItemConstructorOptions[] }[] = [];
  const permissions: { request?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void; check?: () => boolean } = {};
  const schemes: { registered: unknown[]; handlers: Map<string, (request: Request) => Promise<Response>> } = { registered: [], handlers: new Map() };

  const electron = {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, request: unknown) => unknown) => ipcHandlers.set(channel, handler),
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] }) => menus.push(menu),
    },
    nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof permissions.request) => (permissions.request = handler),
        setPermissionCheckHandler: (handler: typeof permissions.check) => (permissions.check = handler),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemesList: unknown[]) => schemes.registered.push(...schemesList),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => schemes.handlers.set(scheme, handler),
    },
    // Electron's net.fetch of a file:// URL: the file's bytes, or 404.
    net: {
      fetch: async (url: string) => {
        try {
          return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { 'Content-Type': 'text/html' } });
        } catch {
          return new Response('not found', { status: 404 });
        }
      },
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true, filePath: undefined }),
    },
  };
  return { electron, windows, ipcHandlers, menus, permissions, schemes };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
