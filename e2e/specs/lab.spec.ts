// Section 5.1, used as a person would: draw, type the book's arrays, load its scenes, point at units.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { ROOT } from '../hosts';
import { drawStroke, expectMap, hoverUnit, loadScene, openGuide, readMap, typeGrid } from '../lab';

const EDGE_MAP = Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]);

async function resizeInput(page: import('@playwright/test').Page, height: number, width: number) {
  await page.getByRole('spinbutton', { name: 'Height' }).fill(String(height));
  await page.getByRole('spinbutton', { name: 'Width' }).fill(String(width));
  await page.getByRole('button', { name: 'Resize' }).click();
}

test('a stroke drawn with the mouse shows up in the feature map, stroke by stroke', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('combobox', { name: 'Kernel preset' }).selectOption('identity');
  await expectMap(page, 'Layer 1 output', Array.from({ length: 14 }, () => Array(14).fill(0)));
  // A horizontal stroke along input row 6, columns 3 to 11 (counted from 1; indices 5 and 2–10): the identity kernel's map shows it one cell up and left.
  await drawStroke(page, 'Input', [5, 2], [5, 10]);
  const expected = Array.from({ length: 14 }, (_, y) => Array.from({ length: 14 }, (_, x) => (y === 4 && x >= 1 && x <= 9 ? 1 : 0)));
  await expectMap(page, 'Layer 1 output', expected);
  // One stroke is one undo step.
  await page.keyboard.press('Control+z');
  await expectMap(page, 'Layer 1 output', Array.from({ length: 14 }, () => Array(14).fill(0)));
});

test('typing the book’s X and K gives [[19, 25], [37, 43]] (5.1.1), and convolution gives the flipped result (5.1.5)', async ({ app }) => {
  const { page } = app;
  await resizeInput(page, 3, 3);
  await typeGrid(page, 'Input', [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ]);
  const kernelRows = page.getByRole('spinbutton', { name: 'Layer 1 kernel rows' });
  await kernelRows.fill('2');
  await kernelRows.press('Enter');
  const kernelCols = page.getByRole('spinbutton', { name: 'Layer 1 kernel columns' });
  await kernelCols.fill('2');
  await kernelCols.press('Enter');
  await typeGrid(page, 'Layer 1 kernel', [
    [0, 1],
    [2, 3],
  ]);
  await expectMap(page, 'Layer 1 output', [
    [19, 25],
    [37, 43],
  ]);
  await page.getByRole('radio', { name: 'Convolution (flipped kernel)' }).check();
  await expectMap(page, 'Layer 1 output', [
    [5, 11],
    [23, 29],
  ]);
  expect(await readMap(page, 'Layer 1 kernel, flipped (what convolution really slides)')).toEqual([
    [3, 2],
    [1, 0],
  ]);
  await expect(page.getByText('Convolving with K equals cross-correlating with K flipped')).toBeVisible();
  // Pointing at the first output cell writes its sum out with the numbers: 0·3 + 1·2 + 3·1 + 4·0 + 0 = 5.
  await hoverUnit(page, 'Layer 1 output', 0, 0);
  await expect(page.getByRole('region', { name: 'Formula for the pointed cell' })).toContainText('0·3 + 1·2 + 3·1 + 4·0 + 0 = 5');
});

test('the edge scene gives the book’s 6×7 map, and its transpose gives zeros (5.1.3)', async ({ app }) => {
  const { page } = app;
  await loadScene(page, /5\.1\.3 Detecting the edges/);
  expect(await readMap(page, 'Input')).toEqual(Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1]));
  await expectMap(page, 'Layer 1 output', EDGE_MAP);
  const scene = page.getByRole('article', { name: /5\.1\.3 Detecting the edges/ });
  await expect(scene.getByRole('status')).toHaveText('✓ Matches the book');
  await loadScene(page, /5\.1\.3 The same kernel on the transposed image/);
  await expectMap(page, 'Layer 1 output', Array.from({ length: 8 }, () => [0, 0, 0, 0, 0]));
  await expect(page.getByRole('article', { name: /transposed image/ }).getByRole('status')).toHaveText('✓ Matches the book');
});

test('one unit of two stacked 2×2 layers sees all nine input cells (5.1.6), and a unit of layer 1 its 2×2 window', async ({ app }) => {
  const { page } = app;
  await loadScene(page, /5\.1\.6 Feature maps and receptive fields/);
  await expectMap(page, 'Layer 2 output', [[64]]);
  const strip = page.getByRole('region', { name: 'Formula for the pointed cell' });
  await expect(strip.getByTestId('receptive-field')).toHaveText('Receptive field 3×3 · jump 1×1 · start (1, 1) · reads input rows 1–3, columns 1–3');
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toHaveAccessibleDescription(/receptive field: rows 1–3, columns 1–3/);
  await expect(page.getByRole('grid', { name: 'Layer 1 output', exact: true })).toHaveAccessibleDescription(/window of the pointed cell: rows 1–2, columns 1–2/);
  // Unpin, then point at the bottom-right unit of layer 1: its window is the input's bottom-right 2×2.
  await strip.getByRole('button', { name: 'Unpin' }).click();
  await hoverUnit(page, 'Layer 1 output', 1, 1);
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toHaveAccessibleDescription(/window of the pointed cell: rows 2–3, columns 2–3/);
  await expect(strip).toContainText('4·1 + 5·1 + 7·1 + 8·1 + 0 = 24');
  // The effective receptive field is drawn on the input: its overlay canvas is no longer empty.
  const painted = await page
    .getByRole('grid', { name: 'Input', exact: true })
    .locator('canvas')
    .nth(1)
    .evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque;
    });
  expect(painted).toBeGreaterThan(0);
});

test('an invalid stride or an empty output is refused with a message, and the previous maps stay', async ({ app }) => {
  const { page } = app;
  await loadScene(page, /5\.1\.3 Detecting the edges/);
  await expectMap(page, 'Layer 1 output', EDGE_MAP);
  const stride = page.getByRole('spinbutton', { name: 'Stride rows' });
  await stride.fill('0');
  await stride.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Stride must be a whole number from 1 to 8');
  await expect(stride).toHaveValue('1');
  await expectMap(page, 'Layer 1 output', EDGE_MAP);

  const dilation = page.getByRole('spinbutton', { name: 'Dilation columns' });
  await dilation.fill('8');
  await dilation.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Layer 1: convolution would have an empty output');
  await expect(dilation).toHaveValue('1');
  await expectMap(page, 'Layer 1 output', EDGE_MAP);
  await page.screenshot({ path: test.info().outputPath('refused.png') });
});

test('the sliding window fills the output cell by cell', async ({ app }) => {
  const { page } = app;
  await loadScene(page, /5\.1\.1 Two-dimensional cross-correlation/);
  await expectMap(page, 'Layer 1 output', [
    [19, 25],
    [37, 43],
  ]);
  const player = page.getByRole('group', { name: 'Sliding window' });
  await player.getByRole('button', { name: 'Step' }).click();
  await expect(player).toContainText('Output cell 1 of 4');
  const labels = () =>
    page
      .getByRole('grid', { name: 'Layer 1 output', exact: true })
      .getByRole('gridcell')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label')));
  expect(await labels()).toEqual(['19', '', '', '']);
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toHaveAccessibleDescription(/window of the pointed cell: rows 1–2, columns 1–2/);
  await player.getByRole('button', { name: 'Step' }).click();
  await player.getByRole('button', { name: 'Step' }).click();
  expect(await labels()).toEqual(['19', '25', '37', '']);
  await player.getByRole('button', { name: 'Reset' }).click();
  expect(await labels()).toEqual(['19', '25', '37', '43']);
});

test('every scene of the guide matches the book where the book prints, as a learner sees it', async ({ app }) => {
  const { page } = app;
  await openGuide(page);
  const titles = await page.getByRole('article').evaluateAll((articles) => articles.map((a) => a.getAttribute('aria-label') ?? ''));
  expect(titles.length).toBeGreaterThanOrEqual(7);
  let compared = 0;
  for (const [index, title] of titles.entries()) {
    // A scene may switch the workspace to another mode (training): the guide stays docked beside it.
    await openGuide(page);
    const scene = page.getByRole('article', { name: title, exact: true });
    await scene.getByRole('button', { name: 'Load this scene' }).click();
    if ((await scene.getByRole('status').count()) > 0) {
      await expect(scene.getByRole('status')).toHaveText('✓ Matches the book');
      compared++;
    }
    await page.waitForTimeout(200);
    await page.screenshot({ path: test.info().outputPath(`scene-${index + 1}.png`) });
  }
  expect(compared).toBe(4);
});

test('an image imported from File › Import image, or dropped on the input, becomes a grayscale input at the chosen size', async ({ app }) => {
  const { page } = app;
  const icon = join(ROOT, 'build/icons/64x64.png');
  await page.getByRole('combobox', { name: 'Import at' }).selectOption('16');
  if (app.host === 'web') {
    const chooser = page.waitForEvent('filechooser');
    await app.menu('file', 'file-import-image');
    await (await chooser).setFiles(icon);
  } else {
    await app.electron!.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as typeof dialog.showOpenDialog;
    }, icon);
    await app.menu('file', 'file-import-image');
  }
  const input = page.getByRole('grid', { name: 'Input', exact: true });
  await expect(input).toHaveAttribute('aria-rowcount', '16');
  const values = (await readMap(page, 'Input')).flat();
  expect(values).toHaveLength(256);
  expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
  // The icon's dark tile and its light cells: the import kept the picture's contrast.
  expect(Math.min(...values)).toBeLessThan(0.3);
  expect(Math.max(...values)).toBeGreaterThan(0.8);
  // The stack follows: a 16×16 input through the 3×3 Sobel layer gives a 14×14 map.
  await expect(page.getByRole('grid', { name: 'Layer 1 output', exact: true })).toHaveAttribute('aria-rowcount', '14');

  // Dropping a file that is not an image names it and leaves the input as it was.
  const before = await readMap(page, 'Input');
  await page.getByRole('region', { name: 'Input', exact: true }).evaluate(async (panel, text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'notes.txt', { type: 'text/plain' }));
    panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, 'not a picture');
  await expect(page.getByRole('alert')).toHaveText('“notes.txt” could not be imported: ConvLab reads PNG and JPEG images.');
  expect(await readMap(page, 'Input')).toEqual(before);

  // Dropping a PNG imports it, at the size now chosen.
  await page.getByRole('combobox', { name: 'Import at' }).selectOption('28');
  const bytes = [...readFileSync(icon)];
  await page.getByRole('region', { name: 'Input', exact: true }).evaluate(async (panel, data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'icon.png', { type: 'image/png' }));
    panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(input).toHaveAttribute('aria-rowcount', '28');
});

/** Two convolutions of 4 and 8 output channels: a stack the engine answers with the windows a brush step changed. */
async function twoConvolutions(page: Page): Promise<void> {
  await page.getByRole('button', { name: '+ Convolution' }).click();
  for (const [layer, channels] of [[1, 4], [2, 8]] as const) {
    await page.getByRole('button', { name: `Layer ${layer}: convolution`, exact: true }).click();
    const field = page.getByRole('region', { name: `Settings of Layer ${layer}: convolution` }).getByRole('spinbutton', { name: 'Output channels' });
    await field.fill(String(channels));
    await field.press('Enter');
  }
}

test('after strokes repainted window by window, every map shows what painting it whole shows, to the pixel', async ({ app }) => {
  const { page } = app;
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await resizeInput(page, 48, 48);
  await twoConvolutions(page);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('grid', { name: 'Layer 2 output, channel 8', exact: true }).waitFor();
  // Counts the canvas repaints of a window (putImageData with a dirty rectangle), to be sure that path was taken.
  await page.evaluate(() => {
    const put = CanvasRenderingContext2D.prototype.putImageData;
    (window as unknown as { windowPaints: number }).windowPaints = 0;
    CanvasRenderingContext2D.prototype.putImageData = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
      if (args.length === 7) (window as unknown as { windowPaints: number }).windowPaints++;
      return (put as (...a: unknown[]) => void).apply(this, args);
    };
  });
  // Strokes along the edges and across the middle, so windows are clipped at every border.
  for (const [from, to] of [[[0, 0], [0, 20]], [[47, 30], [40, 47]], [[20, 5], [25, 30]], [[10, 47], [30, 47]]] as [[number, number], [number, number]][]) {
    await drawStroke(page, 'Input', from, to);
  }
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { windowPaints: number }).windowPaints)).toBeGreaterThan(0);
  const pixels = () =>
    page.getByRole('grid', { name: /^Layer \d output, channel \d$/ }).evaluateAll((grids) =>
      grids.map((grid) => {
        const canvas = grid.querySelector('canvas')!;
        return [grid.getAttribute('aria-label'), Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).join(',')];
      }),
    );
  const patched = await pixels();
  expect(patched).toHaveLength(12);
  // A change of theme and back paints every map whole, from its values.
  await app.menu('view', 'view-theme', 'theme-dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.menu('view', 'view-theme', 'theme-light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.waitForTimeout(300);
  const whole = await pixels();
  for (let i = 0; i < whole.length; i++) expect(patched[i][1] === whole[i][1], `${whole[i][0]}: the patched canvas differs from the whole repaint`).toBe(true);
});

test('after strokes patched window by window, every map\'s cells read what a whole pass of the same stack gives', async ({ app }) => {
  const { page } = app;
  await resizeInput(page, 24, 24);
  await twoConvolutions(page);
  await page.getByRole('button', { name: 'Clear' }).click();
  const names = [1, 2, 3, 4].map((c) => `Layer 1 output, channel ${c}`).concat([1, 2, 3, 4, 5, 6, 7, 8].map((c) => `Layer 2 output, channel ${c}`));
  await page.getByRole('grid', { name: names[names.length - 1], exact: true }).waitFor();
  const readAll = async () => Promise.all(names.map((name) => readMap(page, name)));
  const cleared = await readAll();
  for (const [from, to] of [[[0, 0], [0, 12]], [[23, 10], [18, 23]], [[8, 3], [14, 16]]] as [[number, number], [number, number]][]) {
    await drawStroke(page, 'Input', from, to);
  }
  await page.waitForTimeout(500);
  const patched = await readAll();
  expect(patched).not.toEqual(cleared);
  // Layer 1's padding changed and changed back: two whole passes, the second of exactly the stack the strokes were on.
  await page.getByRole('button', { name: 'Layer 1: convolution', exact: true }).click();
  const padding = page.getByRole('spinbutton', { name: 'Padding rows' });
  await padding.fill('1');
  await padding.press('Enter');
  await expect(page.getByRole('grid', { name: names[0], exact: true })).toHaveAttribute('aria-rowcount', '24');
  await padding.fill('0');
  await padding.press('Enter');
  await expect(page.getByRole('grid', { name: names[0], exact: true })).toHaveAttribute('aria-rowcount', '22');
  await expect.poll(readAll).toEqual(patched);
});
