// `npm start` where the Electron binary is missing: one line that points to the browser host, and a failing status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../hosts';

test('npm start without an Electron binary prints one line pointing to npm run web and exits non-zero', () => {
  // The electron package's own override points at an empty folder: no binary there, wherever the suite runs.
  const empty = mkdtempSync(join(tmpdir(), 'convlab-no-electron-'));
  const run = spawnSync('npm', ['start', '--silent'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
    timeout: 30_000,
  });
  expect(run.status).toBe(1);
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toEqual(['ConvLab: the Electron binary is not installed here, so the desktop app cannot start; run `npm run web` to use ConvLab in your browser.']);
});
