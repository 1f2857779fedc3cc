/**
 * Measures what killed saves leave: a writer saving a 36 MB lab is killed mid-write 20 times; after each kill the
 * previous file must be intact, and the next start's sweep must leave no temporary file. Prints the figures.
 * Usage: npx tsx electron/cli/killed-saves.ts [kills] [megabytes]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMP_FILE_PATTERN } from '../services/files/atomic-write';
import { createRecentFiles } from '../services/files/recent-files';
import { sweepLeftovers } from '../services/files/startup-sweep';

const kills = Number(process.argv[2] ?? 20);
const megabytes = Number(process.argv[3] ?? 36);
const writer = fileURLToPath(new URL('../services/fixtures/atomic-writer-child.ts', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'convlab-kill-data-'));
const labs = mkdtempSync(join(tmpdir(), 'convlab-kill-labs-'));
const lab = join(labs, 'big.convlab.json');
writeFileSync(lab, `[${' '.repeat(megabytes * 1024 * 1024 - 2)}]`);
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const before = digest(lab);
const temps = () => readdirSync(labs).filter((name) => TEMP_FILE_PATTERN.test(name));

let intact = 0;
for (let i = 0; i < kills; i++) {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, lab, String(megabytes)], { stdio: 'ignore' });
  const existing = new Set(temps());
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const temp = temps().find((name) => !existing.has(name));
      // Kill once this save's temporary file has started to fill, at a different depth each time.
      if (temp && statSync(join(labs, temp)).size > ((i % 5) + 1) * 1024 * 1024) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 1);
    child.once('exit', () => (clearInterval(timer), resolve()));
  });
  if (digest(lab) === before) intact++;
}
const left = temps();
const leftBytes = left.reduce((sum, name) => sum + statSync(join(labs, name)).size, 0);
const recent = await createRecentFiles(join(data, 'recent.json'));
await recent.add(lab);
const swept = await sweepLeftovers(data, await createRecentFiles(join(data, 'recent.json')));
console.log(`${kills} saves of a ${megabytes} MB lab killed mid-write: previous file intact ${intact}/${kills}; ` +
  `${left.length} temporary files (${(leftBytes / 1048576).toFixed(0)} MB) before the next start, ${swept} swept, ${temps().length} after it`);
