// main.ts run for real against a stand-in `electron` module (electron/testing/fake-electron.ts): the window it
// opens, the pages it serves, what it refuses, its IPC door, its menu, its close guard and how labs reach it.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MENU, type MenuItem } from './contract/menu';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';
import { engineWorkerPath } from './worker-path';

const GOOD = readFileSync(join(import.meta.dirname, 'services/fixtures/good-v1.convlab.json'), 'utf8');

let fake: FakeElectron;
// The mock is made once; each test's fresh stand-in is reached through it, so every import of main sees that one.
vi.mock('electron', () => {
  const current = () => (globalThis as unknown as { fakeElectron: FakeElectron }).fakeElectron.electron;
  return {
    get app() { return current().app; },
    get BrowserWindow() { return current().BrowserWindow; },
    get ipcMain() { return current().ipcMain; },
    get Menu() { return current().Menu; },
    get nativeTheme() { return current().nativeTheme; },
    get session() { return current().session; },
    get protocol() { return current().protocol; },
    get net() { return current().net; },
    get dialog() { return current().dialog; },
  };
});

const argv = process.argv;
beforeEach(() => {
  vi.resetModules();
  const userData = mkdtempSync(join(tmpdir(), 'convlab-main-'));
  fake = createFakeElectron(userData);
  (globalThis as unknown as { fakeElectron: FakeElectron }).fakeElectron = fake;
  process.env.CONVLAB_USER_DATA = userData;
});
afterEach(() => {
  process.argv = argv;
  delete process.env.CONVLAB_USER_DATA;
});

/** Imports main.ts (which starts itself), lets the app become ready and waits for its window. */
async function startMain() {
  await import('./main');
  fake.electron.app.becomeReady();
  await vi.waitFor(() => expect(fake.windows.length).toBe(1), { timeout: 10_000 });
  const window = fake.windows[0];
  return { window, contents: window.webContents };
}

/** Invokes a contract call as the page would, from the main window's own page unless told otherwise. */
function invoke(call: string, request: unknown, sender: { url?: string; contents?: unknown } = {}) {
  const handler = fake.ipcHandlers.get(`convlab:${call}`);
  if (!handler) throw new Error(`no handler for ${call}`);
  const window = fake.windows.find((w) => !w.destroyed)!;
  const frameUrl = 'url' in sender ? sender.url : 'convlab://app/index.html';
  return handler({ senderFrame: frameUrl === undefined ? null : { url: frameUrl }, sender: sender.contents ?? window.webContents }, request) as Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
}

const eventsSent = (contents: { sent: [string, unknown][] }, name: string) => contents.sent.filter(([channel]) => channel === `convlab-event:${name}`).map(([, payload]) => payload);

describe('main process, against a stand-in electron', () => {
  test('the window is locked down: sandboxed, isolated, no Node, our preload, our own page', async () => {
    const { window } = await startMain();
    expect(fake.electron.app.sandboxed).toBe(true);
    expect(window.options).toMatchObject({
      width: 1440,
      height: 900,
      minWidth: 960,
      minHeight: 640,
      show: false,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]preload\.cjs$/);
    expect(window.loaded).toEqual(['convlab://app/index.html']);
    window.emit('ready-to-show');
    expect(window.calls).toContain('show');
  });

  test('the app scheme serves only the built renderer, with the content security policy', async () => {
    await startMain();
    expect(fake.schemes.registered).toEqual([{ scheme: 'convlab', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const serve = fake.schemes.handlers.get('convlab')!;
    const page = await serve(new Request('convlab://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<html/i);
    // Dot segments the URL parser resolves stay inside the folder (and find nothing there); encoded slashes that
    // would climb out after decoding, and any other host, are forbidden.
    expect((await serve(new Request('convlab://app/%2e%2e/package.json'))).status).toBe(404);
    for (const url of ['convlab://app/..%2f..%2fpackage.json', 'convlab://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'convlab://app/x%2f..%2f..%2f..%2fpackage.json', 'convlab://other/index.html']) {
      expect((await serve(new Request(url))).status, url).toBe(403);
    }
  });

  test('navigation away, new windows, webviews and every permission are refused', async () => {
    await startMain();
    const contents = new (await import('./testing/fake-electron')).FakeWebContents();
    fake.electron.app.emit('web-contents-created', {}, contents);
    const attempt = (event: string, url?: string) => {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    };
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(attempt('will-navigate', 'not a url')).toBe(true);
    expect(attempt('will-navigate', 'convlab://app/index.html')).toBe(false);
    expect(attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(attempt('will-attach-webview')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) fake.permissions.request?.({}, permission, (ok) => granted.push(ok));
    expect(granted).toEqual([false, false, false, false]);
    expect(fake.permissions.check?.()).toBe(false);
  });

  test('the IPC door answers only our own page in our own window', async () => {
    const { contents } = await startMain();
    expect(await invoke('appInfo', {})).toMatchObject({ ok: true, value: { name: 'ConvLab', host: 'electron' } });
    const refused = { ok: false, error: { code: 'invalid-request', message: 'unknown sender' } };
    expect(await invoke('appInfo', {}, { url: 'https://evil.example/' })).toEqual(refused);
    expect(await invoke('appInfo', {}, { url: undefined })).toEqual(refused);
    expect(await invoke('appInfo', {}, { url: '::not a url::' })).toEqual(refused);
    const otherWindow = new fake.electron.BrowserWindow({});
    expect(await invoke('appInfo', {}, { contents: otherWindow.webContents })).toEqual(refused);
    // A request that breaks the contract is answered by the router, never thrown.
    expect(await invoke('forward', { input: null })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(contents.sent).toEqual([]);
  });

  test('3,000 seeded malformed requests through the IPC door: every one answered with a structured result', async () => {
    await startMain();
    const { mulberry32 } = await import('../core/random');
    const { CALL_NAMES } = await import('./contract/contract');
    const random = mulberry32(2026);
    const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const junk = [null, undefined, 0, -1, Infinity, 'x', [], [[]], {}, { input: null }, { text: 5 }, { text: new Uint8Array(3), fileName: '' }, { dirty: 'yes' }, { id: 'zz' }, { runId: 0, command: 'stop' }, { locale: 'fr' }, { kind: 'exe', fileName: 'a', data: 1 }, new Float32Array(4), { input: { shape: [1, 1, 2, 2], data: new Float32Array([NaN, 0, 0, 0]) }, layers: [] }];
    const calls = CALL_NAMES.filter((name) => name !== 'closeWindow');
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const result = await invoke(pick(calls), pick(junk));
      if (result && typeof result.ok === 'boolean') answered++;
    }
    expect(answered).toBe(3000);
  });

  test('the native menu is built from the menu description; each command item sends its command to the page', async () => {
    const { contents } = await startMain();
    const template = fake.menus.at(-1)!.template;
    const byId = new Map<string, MenuItemConstructorOptions>();
    const walk = (items: MenuItemConstructorOptions[]) => items.forEach((item) => (byId.set(item.id!, item), Array.isArray(item.submenu) && walk(item.submenu)));
    walk(template);
    const commands: { id: string; command: string }[] = [];
    const collect = (items: readonly MenuItem[]) =>
      items.forEach((item) => (item.kind === 'command' ? commands.push(item) : item.kind === 'submenu' ? collect(item.items) : undefined));
    MENU.forEach((top) => (expect(byId.get(top.id)?.label).toBeTruthy(), collect(top.items)));
    expect(commands.length).toBeGreaterThan(10);
    for (const { id } of commands) (byId.get(id)!.click as () => void)();
    expect(eventsSent(contents, 'menuCommand')).toEqual(commands.map((c) => c.command));
    // A setting item changes the setting, and the menu is rebuilt with it checked.
    const dark = [...byId.values()].find((item) => item.type === 'radio' && item.label === 'Dark')!;
    (dark.click as () => void)();
    await vi.waitFor(() => expect(eventsSent(contents, 'settingsChanged')).toEqual([expect.objectContaining({ theme: 'dark' })]));
    expect(fake.electron.nativeTheme.themeSource).toBe('dark');
    expect(fake.menus.length).toBeGreaterThan(1);
  });

  test('the close guard: unsaved changes hold the window until the page has asked (Save / Don’t Save / Cancel)', async () => {
    const { window, contents } = await startMain();
    expect(window.close()).toBe(true); // clean: nothing holds it…
    fake.electron.app.emit('activate'); // …and a new window opens (macOS dock click)
    await vi.waitFor(() => expect(fake.windows.length).toBe(2));
    const second = fake.windows[1];
    await invoke('setDirty', { dirty: true });
    expect(second.close()).toBe(false); // held: the page is asked
    expect(eventsSent(second.webContents, 'closeRequested')).toEqual([{}]);
    expect(second.close()).toBe(false); // Cancel: the page never calls closeWindow, the window stays
    await invoke('closeWindow', {}); // Save or Don't Save: the page decided, then closes
    expect(second.destroyed).toBe(true);
    expect(contents.sent.filter(([c]) => c === 'convlab-event:closeRequested')).toEqual([]);
  });

  test('a second start with a lab on its command line opens it in the first window', async () => {
    const { window, contents } = await startMain();
    const lab = join(mkdtempSync(join(tmpdir(), 'convlab-second-')), 'edges.convlab.json');
    writeFileSync(lab, GOOD);
    window.minimized = true;
    fake.electron.app.emit('second-instance', {}, ['/opt/ConvLab/convlab', '--no-sandbox', 'edges.convlab.json'], join(lab, '..'));
    expect(window.calls).toEqual(expect.arrayContaining(['restore', 'focus']));
    expect(eventsSent(contents, 'openRequested')).toEqual([{ name: 'edges' }]);
    expect(await invoke('openPending', {})).toMatchObject({ ok: true, value: { cancelled: false, name: 'edges' } });
  });

  test('macOS open-file, even before the app is ready, opens the lab', async () => {
    const lab = join(mkdtempSync(join(tmpdir(), 'convlab-openfile-')), 'pool.convlab.json');
    writeFileSync(lab, GOOD);
    await import('./main');
    const preventDefault = vi.fn();
    fake.electron.app.emit('open-file', { preventDefault }, lab); // before 'ready'
    expect(preventDefault).toHaveBeenCalled();
    fake.electron.app.becomeReady();
    await vi.waitFor(() => expect(fake.windows.length).toBe(1));
    await vi.waitFor(() => expect(fake.ipcHandlers.size).toBeGreaterThan(0));
    expect(await invoke('openPending', {})).toMatchObject({ ok: true, value: { cancelled: false, name: 'pool' } });
  });

  test('a .convlab.json in its own argv (a double-click in the file manager) is waiting for the page', async () => {
    const lab = join(mkdtempSync(join(tmpdir(), 'convlab-argv-')), 'stride.convlab.json');
    writeFileSync(lab, GOOD);
    process.argv = [process.execPath, '.', '--enable-logging', lab];
    await startMain();
    expect(await invoke('openPending', {})).toMatchObject({ ok: true, value: { cancelled: false, name: 'stride' } });
    expect(await invoke('openPending', {})).toMatchObject({ ok: true, value: { cancelled: true } });
  });

  test('a second instance that does not get the lock quits at once', async () => {
    fake.electron.app.singleInstance = false;
    await import('./main');
    expect(fake.electron.app.quitCalls).toBe(1);
  });

  test('packaged, the worker starts from the unpacked copy beside app.asar; from source, where it was built', () => {
    expect(engineWorkerPath('/opt/ConvLab/resources/app.asar/out/main')).toBe('/opt/ConvLab/resources/app.asar.unpacked/out/main/engine-worker.js');
    expect(engineWorkerPath('/home/me/convlab/out/main')).toBe('/home/me/convlab/out/main/engine-worker.js');
  });
});
