/**
 * `npm run security`: Electronegativity over the built app (out/), offline. Fails on any finding of medium severity
 * or worse. Two checks are left out, on purpose: AVAILABLE_SECURITY_FIXES needs the network (it downloads Electron's
 * release list), and PRELOAD_JS_CHECK flags every preload as "review me" — ours was reviewed: it exposes only named
 * contract calls and `on` for declared events through contextBridge, never ipcRenderer itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;
const tool = require.resolve('@doyensec/electronegativity/dist/index.js');
const report = join(root, 'test-results/electronegativity.csv');

if (!existsSync(join(root, 'out/main/main.js'))) {
  console.error('security check: build the app first (npm run build)');
  process.exit(1);
}
mkdirSync(dirname(report), { recursive: true });
const run = spawnSync(
  process.execPath,
  [
    '--require',
    join(import.meta.dirname, 'offline-got.cjs'),
    tool,
    '--input', join(root, 'out'),
    '--electron-version', electronVersion,
    '--exclude-checks', 'availablesecurityfixesglobalcheck,preloadjscheck',
    '--relative',
    '--output', report,
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } },
);
if (!existsSync(report) || run.status !== 0) {
  console.error(run.stdout, run.stderr);
  console.error('security check: Electronegativity did not finish');
  process.exit(1);
}
const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1).filter(Boolean);
const serious = rows.filter((row) => /^[A-Z_]+,"(MEDIUM|HIGH|CRITICAL)"/.test(row));
for (const row of rows) console.log(row);
console.log(`Electronegativity ${electronVersion}: ${rows.length} findings, ${serious.length} of medium severity or worse`);
process.exit(serious.length > 0 ? 1 : 0);
