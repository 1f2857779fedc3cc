// The network-training mode's vocabulary: a small IDX dataset a run learns in seconds, and how much of a canvas is drawn.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openMode } from './lab';

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, data]));
}

/** Another 28×28 IDX dataset, as MNIST would be: class c is a bright bar at column 4 + 2c, learnable in a few batches. */
export function smallDataset(): string {
  const folder = mkdtempSync(join(tmpdir(), 'convlab-small-idx-'));
  for (const [prefix, n] of [['train', 1280], ['t10k', 200]] as const) {
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) for (let y = 4; y < 24; y++) pixels[i * 784 + y * 28 + 4 + 2 * (i % 10)] = 255;
    writeFileSync(join(folder, `${prefix}-images-idx3-ubyte.gz`), idx(0x803, [n, 28, 28], pixels));
    writeFileSync(join(folder, `${prefix}-labels-idx1-ubyte.gz`), idx(0x801, [n], Uint8Array.from({ length: n }, (_, i) => i % 10)));
  }
  return folder;
}

/** Chooses a fresh small dataset's folder in the Dataset tab, as a learner would, and waits until it is taken. */
export async function useSmallDataset(page: Page): Promise<void> {
  await openMode(page, 'Dataset');
  await page.getByRole('textbox', { name: 'Folder holding the four files' }).fill(smallDataset());
  await page.getByRole('button', { name: 'Use this folder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All four files are present: another IDX dataset' })).toBeVisible();
}

/** Pixels of a canvas that differ from its corner (the background). */
export async function drawnPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) + Math.abs(data[i + 3] - data[3]) > 30) count++;
    }
    return count;
  });
}

/** Painted pixels of a map grid's overlay canvas (outlines and the gradient heat). */
export async function overlayPixels(grid: Locator): Promise<number> {
  return grid
    .locator('canvas')
    .nth(1)
    .evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque;
    });
}

/** Moves the mouse over cell (y, x) of a grid found by locator (a map in one panel of several with the same names). */
export async function hoverCell(page: Page, grid: Locator, y: number, x: number): Promise<void> {
  await grid.scrollIntoViewIfNeeded();
  const box = (await grid.boundingBox())!;
  const [rows, cols] = await grid.evaluate((g) => [Number(g.getAttribute('aria-rowcount')), Number(g.getAttribute('aria-colcount'))]);
  await page.mouse.move(box.x + ((x + 0.5) * box.width) / cols, box.y + ((y + 0.5) * box.height) / rows);
}
