// Lab files: what a user makes survives saving, closing, a crash and a bad file; undo takes back every edit.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { openFrom, saveTo } from '../files';
import { drawStroke, expectMap, openMode, readMap, typeGrid } from '../lab';
import { readPng } from '../png';
import { ROOT } from '../hosts';

const BAD = join(ROOT, 'electron/services/fixtures/bad');

test('a drawn lab is saved, the app starts again, and opening the file shows the same lab', async ({ app }) => {
  const { page } = app;
  await drawStroke(page, 'Input', [3, 2], [3, 12]);
  await typeGrid(page, 'Layer 1 kernel', [[2, 0.5]]);
  const input = await readMap(page, 'Input');
  const kernel = await readMap(page, 'Layer 1 kernel');
  const output = await readMap(page, 'Layer 1 output');
  await expect(page).toHaveTitle('• Untitled lab — ConvLab');

  const path = test.info().outputPath('edges.convlab.json');
  await saveTo(app, path, () => app.menu('file', 'file-save'));
  await expect(app.page).toHaveTitle(app.host === 'web' ? 'Untitled lab — ConvLab' : 'edges — ConvLab');
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  expect(saved).toMatchObject({ type: 'convlab', version: 4, lab: { input: { channels: 1, height: input.length, width: input[0].length } } });

  await app.restart();
  expect(await readMap(app.page, 'Input')).not.toEqual(input);
  await expect(app.page.getByRole('alert').filter({ hasText: 'did not close properly' })).toHaveCount(0);
  await openFrom(app, path);
  await expectMap(app.page, 'Input', input);
  await expectMap(app.page, 'Layer 1 kernel', kernel);
  await expectMap(app.page, 'Layer 1 output', output);
  await expect(app.page).toHaveTitle('edges — ConvLab');
});

test('Ctrl+S saves, and the unsaved mark leaves the title', async ({ app }) => {
  test.skip(app.host === 'electron', 'in Electron the accelerator belongs to the native menu');
  const { page } = app;
  await typeGrid(page, 'Layer 1 kernel', [[1]]);
  await expect(page).toHaveTitle('• Untitled lab — ConvLab');
  await page.getByRole('grid', { name: 'Input', exact: true }).click({ position: { x: 1, y: 1 } });
  await saveTo(app, test.info().outputPath('keys.convlab.json'), () => page.keyboard.press('Control+s'));
  await expect(page).toHaveTitle('Untitled lab — ConvLab');
});

test('a bad file is refused with a message that names the problem, and the open lab stays as it was', async ({ app }) => {
  const { page } = app;
  await drawStroke(page, 'Input', [5, 1], [5, 8]);
  const before = await readMap(page, 'Input');
  const kernelBefore = await readMap(page, 'Layer 1 kernel');
  const cases: [string, RegExp][] = [
    ['newer-version.json', /saved by a newer ConvLab \(version 5\); this version reads up to 4/],
    ['net-wrong-shape.json', /lab\.net\.params\[2\]: parameter 3\.weight has shape 3×2×5×4 but the network needs 3×2×5×5/],
    ['weight-wrong-length.json', /lab\.layers\[0\]\.weight: has 9 values/],
    ['proto-key.json', /the key "__proto__" is not allowed/],
  ];
  for (const [name, message] of cases) {
    const path = test.info().outputPath(name.replace('.json', '.convlab.json'));
    copyFileSync(join(BAD, name), path);
    await openFrom(app, path, { unsaved: true });
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('The open lab is unchanged');
    expect(await readMap(page, 'Input')).toEqual(before);
    expect(await readMap(page, 'Layer 1 kernel')).toEqual(kernelBefore);
    await expect(page).toHaveTitle('• Untitled lab — ConvLab');
  }
});

test('undo and redo take back a stroke and a kernel edit, from the keyboard and the Edit menu', async ({ app }) => {
  const { page } = app;
  const input = await readMap(page, 'Input');
  const kernel = await readMap(page, 'Layer 1 kernel');
  await drawStroke(page, 'Input', [8, 1], [8, 14]);
  const drawn = await readMap(page, 'Input');
  expect(drawn).not.toEqual(input);
  await typeGrid(page, 'Layer 1 kernel', [[7]]);
  const edited = await readMap(page, 'Layer 1 kernel');
  expect(edited[0][0]).toBe(7);

  await app.menu('edit', 'edit-undo');
  await expectMap(page, 'Layer 1 kernel', kernel);
  await app.menu('edit', 'edit-redo');
  await expectMap(page, 'Layer 1 kernel', edited);
  await app.menu('edit', 'edit-undo');
  await app.menu('edit', 'edit-undo');
  await expectMap(page, 'Input', input);
  await expect(page).toHaveTitle('ConvLab');
  if (app.host === 'web') {
    await page.keyboard.press('Control+Shift+Z');
    await expectMap(page, 'Input', drawn);
    await page.keyboard.press('Control+z');
    await expectMap(page, 'Input', input);
  }
});

test('New asks about unsaved changes: Cancel keeps them, Don’t Save starts over', async ({ app }) => {
  const { page } = app;
  await drawStroke(page, 'Input', [2, 2], [12, 2]);
  const drawn = await readMap(page, 'Input');
  await app.menu('file', 'file-new');
  const question = page.getByRole('dialog', { name: 'Save the changes to “Untitled lab”?' });
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  expect(await readMap(page, 'Input')).toEqual(drawn);

  await app.menu('file', 'file-new');
  await question.getByRole('button', { name: 'Don’t Save' }).click();
  await expect(page).toHaveTitle('ConvLab');
  expect(await readMap(page, 'Input')).not.toEqual(drawn);
});

test('unsaved work survives a crash: the next start offers it back', async ({ app }) => {
  await drawStroke(app.page, 'Input', [10, 0], [10, 15]);
  const drawn = await readMap(app.page, 'Input');
  // The autosave runs a few seconds after the last change; then the app goes away without being asked.
  await app.page.waitForTimeout(3500);
  await app.restart();
  const banner = app.page.getByRole('alert').filter({ hasText: 'did not close properly' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Restore' }).click();
  await expectMap(app.page, 'Input', drawn);
  await expect(app.page).toHaveTitle('• Untitled lab — ConvLab');
});

test('an exported PNG has the map’s colours, each cell a block of the chosen size', async ({ app }) => {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Input preset' }).selectOption('book3x3');
  await expectMap(page, 'Input', [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ]);
  await app.menu('file', 'file-export');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Export as').selectOption({ label: 'Image (PNG)' });
  await dialog.getByLabel('Map').selectOption({ label: 'input' });
  await dialog.getByLabel('Pixels per cell').fill('5');
  await expect(dialog).toContainText('15 × 15 pixels');
  const path = test.info().outputPath('input.png');
  await saveTo(app, path, () => dialog.getByRole('button', { name: 'Export' }).click());
  await expect(dialog).toBeHidden();

  const png = readPng(readFileSync(path));
  expect([png.width, png.height]).toEqual([15, 15]);
  // 0 is the scale's white, 8 (the largest value) its full red; each cell is a 5×5 block of one colour.
  expect(png.pixel(0, 0)).toEqual([247, 247, 247, 255]);
  expect(png.pixel(4, 4)).toEqual([247, 247, 247, 255]);
  expect(png.pixel(14, 14)).toEqual([178, 24, 43, 255]);
  expect(png.pixel(10, 10)).toEqual([178, 24, 43, 255]);
  const four = png.pixel(7, 7);
  for (let y = 5; y < 10; y++) for (let x = 5; x < 10; x++) expect(png.pixel(y, x)).toEqual(four);
  expect(four[1]).toBeGreaterThan(24);
  expect(four[1]).toBeLessThan(247);
});

test('after a run, the loss chart exports as a PNG with the curve drawn on white', async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Training');
  await page.getByRole('button', { name: "Load the book's run" }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done · Iteration 10 of 10' })).toBeVisible();
  await app.menu('file', 'file-export');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Export as').selectOption({ label: 'Loss chart (PNG)' });
  const path = test.info().outputPath('loss-chart.png');
  await saveTo(app, path, () => dialog.getByRole('button', { name: 'Export' }).click());
  await expect(dialog).toBeHidden();

  const png = readPng(readFileSync(path));
  expect([png.width, png.height]).toEqual([1200, 700]);
  expect(png.pixel(2, 2)).toEqual([255, 255, 255, 255]);
  // The curve is the chart's blue: the loss falls from 11 to 0.004, so blue pixels span most of the plot's height.
  const blueRows = new Set<number>();
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x += 2) {
      const [r, g, b] = png.pixel(y, x);
      if (b > 200 && r < 90 && g < 140) blueRows.add(y);
    }
  }
  expect(blueRows.size).toBeGreaterThan(300);
});
