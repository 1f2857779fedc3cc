// Kept and shared: a LeNet trained in the page is saved with the lab; the lab opened again in a fresh page classifies
// the same drawing the same way without retraining, and shows the run's log.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openFrom, saveTo } from '../files';
import { expect, test } from '../fixtures';
import { openMode } from '../lab';
import { hoverCell, useSmallDataset } from '../net-training';

/** Draws a vertical bar down the pad's middle and answers the top three as shown. */
async function drawBar(page: Page): Promise<string[]> {
  const pad = page.getByRole('region', { name: 'Draw your own' });
  const canvas = pad.getByRole('img', { name: 'Drawing pad, 28×28' });
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
  await page.mouse.up();
  const top = pad.getByRole('list', { name: 'Top three' }).getByRole('listitem');
  await expect(top).toHaveCount(3);
  // Each move of the stroke asks for a prediction: read once the last answer has landed (two reads agree).
  const read = async () => (await top.allTextContents()).map((text) => text.trim()).join('\n');
  let last = '';
  await expect.poll(async () => {
    const [now] = [await read(), await page.waitForTimeout(300)];
    const settled = now === last;
    last = now;
    return settled;
  }).toBe(true);
  return last.split('\n');
}

test('a trained LeNet saved with the lab opens again and classifies a drawing the same, with its log', async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  test.setTimeout(180_000);
  const { page } = app;
  await useSmallDataset(page);

  await openMode(page, 'Train a network');
  await page.getByRole('combobox', { name: 'Activation' }).selectOption({ label: 'ReLU' });
  await page.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.1');
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('2');
  const controls = page.getByRole('group', { name: 'Network training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  const log = page.getByRole('log', { name: 'Network training log' });
  await expect(log.locator('.line')).toHaveText([/^epoch 1, loss /, /^epoch 2, /], { timeout: 150_000 });
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Done/);
  const lines = await log.locator('.line').allTextContents();
  const before = await drawBar(page);

  const path = test.info().outputPath('trained.convlab.json');
  // The run's net reaches the lab a moment after Done: Save waits for the unsaved mark it leaves.
  await expect(page).toHaveTitle(/^•/);
  await saveTo(app, path, () => app.menu('file', 'file-save'));
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  expect(saved.version).toBe(4);
  expect(saved.lab.net.params.map((t: { path: string }) => t.path)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '6.weight', '6.bias', '8.weight', '8.bias', '10.weight', '10.bias']);

  await page.reload();
  await openFrom(app, path);
  await openMode(page, 'Train a network');
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Opened from the lab/);
  await expect(log.locator('.line')).toHaveText(lines);
  expect(await drawBar(page)).toEqual(before);
  // The reopened net is probed as a trained one: a conv2 unit's field on the drawing, and its gradient there.
  const pad = page.getByRole('region', { name: 'Draw your own' });
  await pad.getByRole('checkbox', { name: 'Show its maps through every layer' }).check();
  await hoverCell(page, pad.getByRole('grid', { name: 'conv2 output, channel 1', exact: true }), 3, 3);
  await expect(pad.getByRole('grid', { name: 'Input image', exact: true })).toHaveAccessibleDescription('receptive field: rows 7–20, columns 7–20');
  await expect(pad.getByRole('status', { name: 'What the pointed unit reads' }).getByTestId('net-heat')).toHaveText(/^Gradient on the image/);

  // The loaded net exports as a PyTorch script with the first five test images and ConvLab's answers.
  if (app.host === 'web') {
    const download = page.waitForEvent('download');
    await controls.getByRole('button', { name: 'Export as a PyTorch script' }).click();
    const script = test.info().outputPath('lenet.py');
    await (await download).saveAs(script);
    const text = readFileSync(script, 'utf8');
    expect(text.match(/^IMAGES\.append/gm)).toHaveLength(5);
    expect(text).toContain('nn.ReLU()');
    expect(text).toContain(lines[1]);
  }
});
