/**
 * `npx tsx e2e/measure/training-memory.ts [--iterations N]`: memory over a long kernel-learning run started from the
 * training tab (browser host, Debian's Chromium): the page's JS heap after garbage collection, and the host process's
 * resident memory (main side plus engine worker), sampled while the run streams. Flat figures mean no leak per
 * iteration; the renderer keeps each run in buffers sized once, and charts draw at most ~1,500 points.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freshDataDir, startWebHost } from '../hosts';

const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf('--iterations') + 1]) || 10_000;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

const host = await startWebHost(freshDataDir());
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
const hostRss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${host.process.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Training' }).click();
  const field = page.getByRole('textbox', { name: 'Iterations', exact: true });
  await field.fill(String(iterations));
  await field.press('Enter');
  const heap = () =>
    page.evaluate(() => {
      (window as unknown as { gc?: () => void }).gc?.();
      return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    });
  const progress = page.getByRole('progressbar', { name: 'Training progress' });
  console.log(`before      page heap ${mb(await heap())} MiB   host rss ${mb(hostRss())} MiB`);
  const started = Date.now();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  let done = false;
  while (!done) {
    await page.waitForTimeout(150);
    const at = Number(await progress.getAttribute('value'));
    done = (await page.getByRole('status').filter({ hasText: `Done · Iteration ${iterations} of ${iterations}` }).count()) > 0;
    console.log(`${String(at).padStart(6)}      page heap ${mb(await heap())} MiB   host rss ${mb(hostRss())} MiB`);
  }
  console.log(`${iterations} iterations in ${((Date.now() - started) / 1000).toFixed(1)} s (sampling included)`);
  await page.waitForTimeout(500);
  console.log(`after       page heap ${mb(await heap())} MiB   host rss ${mb(hostRss())} MiB`);
} finally {
  await browser.close();
  await host.stop();
}
