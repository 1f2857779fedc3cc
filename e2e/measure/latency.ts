/**
 * `npm run latency`: the time from a brush stroke to repainted feature maps, measured in the real page (browser host,
 * Debian's Chromium, software rendering). Setup as issue 6 asks: a 128×128 input through three 3×3 convolutions of
 * 1→4→8→8 channels. The page records two measures of every repaint (renderer/src/stores/maps.ts):
 * - stroke → frame (the figure): from the pointer event's own time stamp (when the browser received it) to the end
 *   of the rendering of the frame whose canvases hold the maps computed for it, i.e. until the compositor has those
 *   pixels. What it leaves out is the compositor's own drawing of that frame (in another thread).
 * - edit → paint (the measure of earlier reports): from the page handling the edit to the animation frame callback
 *   of the frame with the new maps, before that frame renders. Chromium hands pointer moves to the page at the start
 *   of a frame, so this one's floor is a frame interval (16.7 ms at 60 Hz) whatever the engine and the page cost.
 * Frames come every 16.7 ms, so an honest stroke → frame time includes the wait for the next frame once the maps are
 * ready (on average half a frame) and the time Chromium holds the event back to a frame's start.
 * Flags: --strokes N (default 30), --json.
 */
import { availableParallelism, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freshDataDir, startWebHost } from '../hosts';

const args = process.argv.slice(2);
const strokes = Number(args[args.indexOf('--strokes') + 1]) || 30;
const asJson = args.includes('--json');

const host = await startWebHost(freshDataDir());
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(host.url);
  await page.getByRole('grid', { name: 'Input', exact: true }).waitFor();

  // The stack of the issue: 128×128, conv 1→4, conv 4→8, conv 8→8, all 3×3.
  await page.getByRole('spinbutton', { name: 'Height' }).fill('128');
  await page.getByRole('spinbutton', { name: 'Width' }).fill('128');
  await page.getByRole('button', { name: 'Resize' }).click();
  await page.getByRole('button', { name: '+ Convolution' }).click();
  await page.getByRole('button', { name: '+ Convolution' }).click();
  for (const [layer, channels] of [[1, 4], [2, 8], [3, 8]] as const) {
    // Each layer's settings are in the inspector once its title in the pipeline is chosen.
    await page.getByRole('button', { name: `Layer ${layer}: convolution`, exact: true }).click();
    const field = page.getByRole('region', { name: `Settings of Layer ${layer}: convolution` }).getByRole('spinbutton', { name: 'Output channels' });
    await field.fill(String(channels));
    await field.press('Enter');
  }
  await page.getByRole('grid', { name: 'Layer 3 output, channel 8', exact: true }).waitFor();
  await page.waitForTimeout(500);
  await page.evaluate(() => performance.clearMeasures());

  const grid = page.getByRole('grid', { name: 'Input', exact: true });
  // The pipeline scrolled to the last layer added; strokes go where a person would draw, on the input in view.
  await grid.scrollIntoViewIfNeeded();
  const box = (await grid.boundingBox())!;
  for (let s = 0; s < strokes; s++) {
    const y = box.y + ((s * 4 + 2) % 128) * (box.height / 128) + 1;
    await page.mouse.move(box.x + 4, y);
    await page.mouse.down();
    // About a pointer event per 8 ms, as a pen or a mouse at 120 Hz sends them.
    for (let step = 1; step <= 40; step++) {
      await page.mouse.move(box.x + 4 + (step * (box.width - 8)) / 40, y + Math.sin(step / 4) * 10);
      await page.waitForTimeout(8);
    }
    await page.mouse.up();
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500);
  const measures = await page.evaluate(() =>
    Object.fromEntries(['convlab:stroke-to-frame', 'convlab:edit-to-paint'].map((name) => [name, performance.getEntriesByName(name).map((e) => e.duration)])),
  );
  const figures = (samples: number[]) => {
    if (samples.length === 0) throw new Error('no stroke reached the maps: nothing was measured');
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    return { frames: samples.length, p50: at(0.5), p95: at(0.95), max: samples[samples.length - 1] };
  };
  const strokeToFrame = figures(measures['convlab:stroke-to-frame']);
  const editToPaint = figures(measures['convlab:edit-to-paint']);
  // On a shared machine the load decides the tail: print it beside the figures it shaped.
  const cpus = availableParallelism();
  const load = loadavg().map((n) => Number(n.toFixed(2)));
  const result = { shape: '128x128 conv3x3 1-4-8-8', ...strokeToFrame, editToPaint, load };
  if (asJson) console.log(JSON.stringify(result));
  else {
    const line = (f: typeof strokeToFrame) => `${f.frames} frames, p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms`;
    console.log(`stroke → frame with the repainted maps, ${result.shape}: ${line(strokeToFrame)} (load average ${load.join(', ')}, ${cpus} cores)`);
    console.log(`  edit → paint (handled edit → the frame's animation callback, as measured before): ${line(editToPaint)}`);
  }
} finally {
  await browser.close();
  await host.stop();
}
