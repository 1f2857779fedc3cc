// The workspace as a learner sees it on laptop to desktop screens: every layer's maps at once, nothing off-screen,
// controls readable at 200 % zoom, probing and pinning from the keyboard, and screenshots of each mode at each size.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { addLayer, buildConvStack, expectMap, loadScene, openMode, readMap } from '../lab';
import { saveAsTo, saveTo } from '../files';
import { readPng } from '../png';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Every grid whose name starts with "Layer N output", for N = 1…layers. */
async function outputGrids(page: Page, layers: number) {
  const grids = [];
  for (let n = 1; n <= layers; n++) grids.push(...(await page.getByRole('grid', { name: new RegExp(`^Layer ${n} output`) }).all()));
  return grids;
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    let worst = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    for (const element of document.querySelectorAll<HTMLElement>('.pipeline, .mode-view')) worst = Math.max(worst, element.scrollWidth - element.clientWidth);
    return worst;
  });
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height}, a 1→4→8→8 stack shows every layer's output inside the window, without horizontal overflow`, async ({ app }) => {
    const { page } = app;
    await page.setViewportSize(size);
    await buildConvStack(page, [4, 8, 8]);
    await expect(page.getByRole('grid', { name: /^Layer 4 output/ })).toHaveCount(8);
    await page.waitForTimeout(300);
    const grids = await outputGrids(page, 4);
    expect(grids).toHaveLength(1 + 4 + 8 + 8);
    for (const grid of grids) {
      const box = (await grid.boundingBox())!;
      const name = await grid.getAttribute('aria-label');
      expect(box.x, name!).toBeGreaterThanOrEqual(0);
      expect(box.y, name!).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name!).toBeLessThanOrEqual(size.width);
      expect(box.y + box.height, name!).toBeLessThanOrEqual(size.height);
    }
    const input = (await page.getByRole('grid', { name: 'Input', exact: true }).boundingBox())!;
    expect(input.y + input.height).toBeLessThanOrEqual(size.height);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`lab-${size.width}x${size.height}.png`) });

    await openMode(page, 'Training');
    await page.getByRole('button', { name: "Load the book's run" }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Done · Iteration 10 of 10' })).toBeVisible();
    // Start, the loss chart and the loss surface are seen together, without scrolling.
    await expect(page.getByRole('button', { name: 'Start' })).toBeInViewport();
    await expect(page.getByRole('img', { name: 'Chart of the loss per iteration' })).toBeInViewport();
    await expect(page.getByRole('img', { name: /^Heat map of the loss/ })).toBeInViewport();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: test.info().outputPath(`training-${size.width}x${size.height}.png`) });
  });
}

test('the Network, Dataset and Train a network modes fit every size from 1280×720 to 2560×1440 and 200 % zoom (screenshots of each)', async ({ app }) => {
  const { page } = app;
  for (const size of [...SIZES, { width: 2560, height: 1440 }]) {
    await page.setViewportSize(size);
    for (const mode of ['Network', 'Dataset', 'Train a network']) {
      await openMode(page, mode);
      await expect(page.getByRole('tab', { name: mode, exact: true })).toHaveAttribute('aria-selected', 'true');
      await page.waitForTimeout(200);
      expect(await horizontalOverflow(page), `${mode} at ${size.width}×${size.height}`).toBeLessThanOrEqual(0);
      await expect(page.getByRole('contentinfo', { name: 'Status' })).toBeInViewport();
      await page.screenshot({ path: test.info().outputPath(`${mode.toLowerCase().replaceAll(' ', '-')}-${size.width}x${size.height}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  for (let step = 0; step < 5; step++) await app.menu('view', 'view-zoom-in');
  await expect.poll(() => page.locator('.app').evaluate((el) => getComputedStyle(el).zoom)).toBe('2');
  for (const mode of ['Network', 'Dataset', 'Train a network']) {
    await openMode(page, mode);
    await page.waitForTimeout(200);
    expect(await horizontalOverflow(page), mode).toBeLessThanOrEqual(0);
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`zoom-200-${mode.toLowerCase().replaceAll(' ', '-')}.png`) });
  }
});

test('at 2560×1440 the maps grow with the window (screenshots of both modes)', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 2560, height: 1440 });
  await buildConvStack(page, [4, 8, 8]);
  await expect(page.getByRole('grid', { name: /^Layer 4 output/ })).toHaveCount(8);
  const small = (await page.getByRole('grid', { name: 'Input', exact: true }).boundingBox())!.width;
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(async () => (await page.getByRole('grid', { name: 'Input', exact: true }).boundingBox())!.width).toBeLessThan(small);
  await page.setViewportSize({ width: 2560, height: 1440 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: test.info().outputPath('lab-2560x1440.png') });
  await openMode(page, 'Training');
  await page.screenshot({ path: test.info().outputPath('training-2560x1440.png') });
});

test('at 200 % zoom no control is narrower than its label, and nothing falls off-screen, at 200 % or 50 %', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 720 });
  for (let step = 0; step < 5; step++) await app.menu('view', 'view-zoom-in');
  await expect.poll(() => page.locator('.app').evaluate((el) => getComputedStyle(el).zoom)).toBe('2');
  for (const mode of ['Lab', 'Training']) {
    await openMode(page, mode);
    await page.waitForTimeout(300);
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, select, label.field, [role="tab"], .segmented label'))
        .filter((el) => el.offsetParent !== null && el.clientWidth > 0)
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.tagName} “${el.textContent?.trim().slice(0, 40)}” ${el.clientWidth} < ${el.scrollWidth}`),
    );
    expect(clipped, mode).toEqual([]);
    expect(await horizontalOverflow(page), mode).toBeLessThanOrEqual(0);
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`zoom-200-${mode.toLowerCase().replaceAll(' ', '-')}.png`) });
  }
  // And at 50 %: the window is filled, not a small island, and the status bar is still at the bottom.
  await app.menu('view', 'view-zoom-reset');
  for (let step = 0; step < 5; step++) await app.menu('view', 'view-zoom-out');
  await expect.poll(() => page.locator('.app').evaluate((el) => getComputedStyle(el).zoom)).toBe('0.5');
  await openMode(page, 'Lab');
  const status = (await page.getByRole('contentinfo', { name: 'Status' }).boundingBox())!;
  expect(status.y + status.height).toBeGreaterThan(700);
  expect(status.y + status.height).toBeLessThanOrEqual(720);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('zoom-50-lab.png') });
});

test('keyboard only: arrow keys move the probe over a focused map, Enter pins, and the input stays in the Tab order after a resize', async ({ app }) => {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Kernel preset' }).selectOption('identity');
  await expectMap(page, 'Layer 1 output', Array.from({ length: 14 }, () => Array(14).fill(0)), 1e9);
  const strip = page.getByRole('region', { name: 'Formula for the pointed cell' });
  const output = page.getByRole('grid', { name: 'Layer 1 output', exact: true });
  // Tab from the layer's title in the pipeline reaches its map.
  // The map's roving cell must exist before Tab can reach it (the first map arrives after the preset's compute).
  await expect(output.locator('[tabindex="0"]')).toHaveCount(1);
  const focusInMap = () => output.evaluate((grid) => grid.contains(document.activeElement));
  await page.getByRole('button', { name: 'Layer 1: convolution' }).focus();
  for (let i = 0; i < 12 && !(await focusInMap()); i++) await page.keyboard.press('Tab');
  await expect.poll(focusInMap).toBe(true);
  await expect(strip).toContainText('Layer 1, channel 1, row 1, column 1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(strip).toContainText('Layer 1, channel 1, row 2, column 3');
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toHaveAccessibleDescription(/window of the pointed cell: rows 2–4, columns 3–5/);
  await page.keyboard.press('Enter');
  await expect(strip).toContainText('Pinned');
  await page.keyboard.press('ArrowDown');
  // Pinned: the strip keeps the pinned cell while the focus moves on.
  await expect(strip).toContainText('row 2, column 3');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(strip).not.toContainText('Pinned');

  // Shrinking the input from 128 to 16 cells leaves one of its cells in the Tab order.
  const input = page.getByRole('grid', { name: 'Input', exact: true });
  for (const side of [128, 16]) {
    await page.getByRole('spinbutton', { name: 'Height' }).fill(String(side));
    await page.getByRole('spinbutton', { name: 'Width' }).fill(String(side));
    await page.getByRole('button', { name: 'Resize' }).click();
    await expect(input).toHaveAttribute('aria-rowcount', String(side));
    if (side === 128) {
      await input.focus();
      await page.keyboard.press('ArrowRight');
      for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowDown');
    }
  }
  await expect(input.locator('[tabindex="0"]')).toHaveCount(1);
});

test('every icon button has a name and a tooltip', async ({ app }) => {
  const { page } = app;
  await buildConvStack(page, [2]);
  const unnamed = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLButtonElement>('button'))
      .filter((button) => /^[←→✕−+×]$/.test(button.textContent?.trim() ?? ''))
      .filter((button) => !button.getAttribute('aria-label') || !button.title)
      .map((button) => button.outerHTML),
  );
  expect(unnamed).toEqual([]);
  expect(await page.locator('button[title]').count()).toBeGreaterThan(8);
});

test('F10 and Alt reach the menu bar, arrows walk it, Enter opens a menu and Escape leaves it', async ({ app }) => {
  test.skip(app.host !== 'web', 'Electron draws its menu natively, where F10 and Alt are the system’s');
  const { page } = app;
  const bar = page.getByRole('menubar');
  await page.getByRole('grid', { name: 'Input', exact: true }).getByRole('gridcell').first().focus();
  await page.keyboard.press('F10');
  await expect(bar.getByRole('menuitem', { name: 'File', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(bar.getByRole('menuitem', { name: 'Edit', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu', { name: 'Edit' }).getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu', { name: 'Edit' })).toBeHidden();
  await expect(bar.getByRole('menuitem', { name: 'Edit', exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Resize' }).focus();
  await page.keyboard.press('Alt');
  await expect(bar.getByRole('menuitem', { name: 'File', exact: true })).toBeFocused();
});

test('loading a scene says it replaced the lab and that undo brings it back, and undo does; File › New lets a pin go', async ({ app }) => {
  const { page } = app;
  const before = await readMap(page, 'Input');
  await loadScene(page, /5\.1\.6 Feature maps and receptive fields/);
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('it replaced the lab. Undo (Ctrl+Z) brings your lab back.');
  // The scene's pinned cell of layer 2 is on screen, beside every other layer.
  await expect(page.getByRole('grid', { name: 'Layer 2 output', exact: true })).toBeInViewport();
  await expect(page.getByRole('grid', { name: 'Layer 2 output', exact: true })).toHaveAccessibleDescription(/pinned cell: row 1, column 1/);
  await page.keyboard.press('Control+z');
  await expectMap(page, 'Input', before);

  await loadScene(page, /5\.1\.6 Feature maps and receptive fields/);
  const strip = page.getByRole('region', { name: 'Formula for the pointed cell' });
  await expect(strip).toContainText('Pinned');
  await app.menu('file', 'file-new');
  const unsaved = page.getByRole('dialog');
  if (await unsaved.isVisible().catch(() => false)) await unsaved.getByRole('button', { name: /Don.t Save/ }).click();
  await expect(strip).not.toContainText('Pinned');
  // A stack as deep as the old pin does not bring it back.
  await addLayer(page, 'ReLU');
  await expect(strip).not.toContainText('Pinned');
});

test('the dark theme paints maps dark around zero, not as white slabs', async ({ app }) => {
  const { page } = app;
  await app.menu('view', 'view-theme', 'theme-dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForTimeout(300);
  const [r, g, b] = await page
    .getByRole('grid', { name: 'Input', exact: true })
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => [...canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data]);
  expect(0.299 * r + 0.587 * g + 0.114 * b).toBeLessThan(60);
  await page.screenshot({ path: test.info().outputPath('dark-lab.png') });
});

test('Export view writes what is on screen as SVG and PNG: titles, numbers, legends and the pinned cell’s outlines', async ({ app }) => {
  const { page } = app;
  await loadScene(page, /5\.1\.1 Two-dimensional cross-correlation/);
  await expectMap(page, 'Layer 1 output', [
    [19, 25],
    [37, 43],
  ]);
  await page.getByRole('grid', { name: 'Layer 1 output', exact: true }).getByRole('gridcell').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Formula for the pointed cell' })).toContainText('Pinned');

  const exportAs = async (label: string, file: string) => {
    await app.menu('file', 'file-export');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByLabel('Export as').selectOption({ label });
    const path = test.info().outputPath(file);
    await saveTo(app, path, () => dialog.getByRole('button', { name: 'Export' }).click());
    await expect(dialog).toBeHidden();
    return path;
  };
  const svg = readFileSync(await exportAs('The view as on screen (SVG)', 'view.svg'), 'utf8');
  expect(svg).toContain('>Untitled lab — ConvLab<');
  expect(svg).toContain('Input<tspan');
  expect(svg).toContain('Layer 1: convolution<tspan');
  for (const n of ['19.', '25.', '37.', '43.', '8.']) expect(svg).toContain(`>${n}</text>`);
  expect(svg).toContain('url(#legend)');
  expect(svg).toContain('data-box="pinned"');
  expect(svg).toContain('data-box="window"');

  const png = readPng(readFileSync(await exportAs('The view as on screen (PNG)', 'view.png')));
  const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  expect([png.width, png.height]).toEqual([Number(size[1]) * 2, Number(size[2]) * 2]);
  // The output's cell of 43 (bottom right) is painted in its colour, at the place the SVG puts it.
  const map = /<g data-map="1\.0" data-x="([\d.]+)" data-y="([\d.]+)" data-cell="(\d+)">/.exec(svg)!;
  const [x, y, cell] = [Number(map[1]), Number(map[2]), Number(map[3])];
  const fill = new RegExp(`<rect x="${x + cell}" y="${y + cell}" width="${cell}" height="${cell}" fill="rgb\\((\\d+),(\\d+),(\\d+)\\)"/>`).exec(svg)!;
  const pixel = png.pixel(Math.round((y + cell + cell * 0.8) * 2), Math.round((x + cell + cell * 0.25) * 2));
  [1, 2, 3].forEach((k, i) => expect(Math.abs(pixel[i] - Number(fill[k]))).toBeLessThanOrEqual(3));
  expect(Number(fill[1])).toBeGreaterThan(150);
});

test('Save As asks for the file’s name, and the lab is saved under it', async ({ app }) => {
  const { page } = app;
  await addLayer(page, 'ReLU');
  const path = test.info().outputPath('lesson.convlab.json');
  const named = await saveAsTo(app, path, 'lesson');
  expect(named).toBe('lesson.convlab.json');
  await expect(page).toHaveTitle('lesson — ConvLab');
  expect(JSON.parse(readFileSync(path, 'utf8')).lab.layers).toHaveLength(2);
});
