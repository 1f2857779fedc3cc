/**
 * Where the specs find the app: the Electron binary if one is installed (never triggering electron's lazy
 * download), otherwise the browser host, started with a fresh data folder for every test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM_PATH = process.env.CONVLAB_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The installed Electron binary, read from electron's own path.txt, or null when none was downloaded. */
export function installedElectron(): string | null {
  if (process.env.CONVLAB_E2E_HOST === 'web') return null;
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'convlab-e2e-'));
}

export interface WebHost {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node out/main/web-host.js` on a free port and waits for the URL it prints first. */
export async function startWebHost(dataDir: string): Promise<WebHost> {
  const entry = join(ROOT, 'out/main/web-host.js');
  if (!existsSync(entry)) throw new Error('the app is not built: run npm run build before the end-to-end specs');
  const child = spawn(process.execPath, [entry, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LANG: 'en_US.UTF-8' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolveUrl(line.trim()));
    child.once('exit', (code) => reject(new Error(`the browser host exited with code ${code}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
