/**
 * The one fixture every spec uses: `app`, the running ConvLab with its page. In Electron it is the real app
 * (Playwright's _electron.launch); elsewhere the browser host in Debian's Chromium. Each test gets a fresh data
 * folder; restart() quits and starts again on the same folder, as a user reopening the app would.
 */
import { test as base, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { join } from 'node:path';
import { freshDataDir, installedElectron, ROOT, startWebHost, type WebHost } from './hosts';

export interface App {
  page: Page;
  host: 'web' | 'electron';
  /** The Electron application, where the specs run in Electron (to answer its native dialogs); else null. */
  electron: ElectronApplication | null;
  /** Chooses a menu entry by its ids, top menu first: menu('view', 'view-language', 'locale-zh-CN'). */
  menu(...ids: string[]): Promise<void>;
  restart(): Promise<void>;
}

async function launch(browser: Browser, dataDir: string) {
  const binary = installedElectron();
  if (binary) {
    const electron: ElectronApplication = await _electron.launch({
      executablePath: binary,
      args: [join(ROOT, 'out/main/main.js')],
      env: { ...process.env, CONVLAB_USER_DATA: dataDir, LANG: 'en_US.UTF-8' },
    });
    const page = await electron.firstWindow();
    // destroy() skips the window's close guard (unsaved changes would otherwise wait for an answer): like a
    // crash, unsaved work stays in the autosave and the next start offers it back.
    const close = async () => {
      await electron.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((window) => window.destroy()));
      await electron.close();
    };
    return { page, host: 'electron' as const, close, electron };
  }
  const web: WebHost = await startWebHost(dataDir);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(web.url);
  return {
    page,
    host: 'web' as const,
    close: async () => {
      await context.close();
      await web.stop();
    },
    electron: null,
  };
}

export const test = base.extend<{ app: App }>({
  app: async ({ browser }, use) => {
    const dataDir = freshDataDir();
    let running = await launch(browser, dataDir);
    await running.page.getByRole('grid', { name: 'Input' }).or(running.page.getByRole('grid', { name: '输入' })).waitFor();
    const app: App = {
      get page() {
        return running.page;
      },
      get host() {
        return running.host;
      },
      get electron() {
        return running.electron;
      },
      async menu(...ids: string[]) {
        if (running.electron) {
          await running.electron.evaluate(({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(id)?.click(), ids[ids.length - 1]);
          return;
        }
        for (const id of ids) await running.page.locator(`[data-menu-id="${id}"]`).click();
      },
      async restart() {
        await running.close();
        running = await launch(browser, dataDir);
      },
    };
    await use(app);
    await running.close();
  },
});

export { expect } from '@playwright/test';
