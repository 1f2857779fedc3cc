/**
 * `npx tsx electron/cli/open-folder.ts DIR [--size N] [--colour grey|rgb] [--cache DIR]`: opens an image folder as
 * the app does (scan, decode threads, cache) and prints the time it took, what it holds, what was skipped, and the
 * process's peak memory (resident set, sampled every 50 ms), for the figures an image folder is held to.
 */
import { availableParallelism } from 'node:os';
import { openFolderDataset } from '../services/dataset/folder-dataset';
import { createDecodePool } from '../services/dataset/image-decode-pool';
import { DEFAULT_CACHE_DIR } from './train-data';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folder = args[0];
  if (!folder || folder.startsWith('--')) throw new Error('usage: npx tsx electron/cli/open-folder.ts DIR [--size N] [--colour grey|rgb] [--cache DIR]');
  const colour = option(args, 'colour') === 'rgb' ? 'rgb' : 'grey';
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  const opened = await openFolderDataset({ folder, size: Number(option(args, 'size') ?? 28), colour }, {
    decoder: () => createDecodePool(new URL('../services/dataset/image-decode-worker.ts', import.meta.url), { size: availableParallelism(), execArgv: ['--import', 'tsx'] }),
    cacheDir: option(args, 'cache') ?? DEFAULT_CACHE_DIR,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const { summary } = opened;
  process.stdout.write(`${summary.folder}: opened in ${seconds.toFixed(2)} s${opened.cached ? ' from the cache' : ''}; ` +
    `${summary.classes.length} classes, ${opened.train.count} training and ${opened.test.count} test images of ${opened.channels}×${summary.size}×${summary.size}; ` +
    `mean ${summary.mean.map((m) => m.toFixed(4)).join(',')}, std ${summary.std.map((s) => s.toFixed(4)).join(',')}; ` +
    `${summary.skipped.length} skipped; peak memory ${(peak / 2 ** 20).toFixed(0)} MB (main thread and decode threads)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`open-folder: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
