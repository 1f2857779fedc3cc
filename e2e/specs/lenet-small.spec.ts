// The LeNet tab end to end in seconds: a small IDX dataset (another 28×28 dataset, as MNIST would be) is chosen in
// the Dataset tab, and a run goes through its epochs: log lines, charts, confusion matrix, the drawing pad, controls.
import { expect, test } from '../fixtures';
import { openMode } from '../lab';
import { drawnPixels, smallDataset } from '../lenet';

test('a small IDX dataset chosen by folder trains LeNet through its epochs: log, charts, confusion matrix, drawing pad, controls', async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  test.setTimeout(180_000);
  const { page } = app;
  await openMode(page, 'Dataset');
  await page.getByRole('textbox', { name: 'Folder holding the four files' }).fill(smallDataset());
  await page.getByRole('button', { name: 'Use this folder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All four files are present: another IDX dataset' })).toBeVisible();

  await openMode(page, 'LeNet');
  await page.getByRole('combobox', { name: 'Activation' }).selectOption({ label: 'ReLU' });
  await page.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.1');
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  const controls = page.getByRole('group', { name: 'LeNet training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  const log = page.getByRole('log', { name: 'LeNet training log' });
  await expect(log.locator('.line')).toHaveText([/^epoch 1, loss /, /^epoch 2, /, /^epoch 3, /], { timeout: 150_000 });
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Done · Epoch 3 of 3, batch 5 of 5/);
  const matrix = page.getByRole('table', { name: 'Confusion matrix after epoch 3' });
  await expect(matrix.getByRole('row')).toHaveCount(11);
  await expect(matrix.getByRole('rowheader', { name: 'Class 3' })).toBeVisible();
  // A cell opens its test images: those of the diagonal are the class's own.
  const cell = matrix.getByRole('button', { name: /^Class 3 predicted as Class 3: \d+ images$/ });
  await cell.click();
  const shown = page.getByRole('list', { name: /^Class 3 predicted as Class 3: / }).getByRole('img');
  await expect(shown.first()).toHaveAccessibleName(/^Class 3, image \d*3$/);
  expect(await drawnPixels(page.getByRole('img', { name: 'Loss per batch' }))).toBeGreaterThan(200);
  expect(await drawnPixels(page.getByRole('img', { name: 'Accuracy per epoch' }))).toBeGreaterThan(200);

  const pad = page.getByRole('region', { name: 'Draw your own' });
  const padCanvas = pad.getByRole('img', { name: 'Drawing pad, 28×28' });
  await padCanvas.scrollIntoViewIfNeeded();
  const box = (await padCanvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
  await page.mouse.up();
  await expect(pad.getByRole('list', { name: 'Top three' }).getByRole('listitem')).toHaveCount(3);
  // A bar down column 14 is what class 5 looks like here (4 + 2·5): the trained net says so.
  await expect(pad.getByRole('list', { name: 'Top three' }).getByRole('listitem').first()).toHaveText(/^\s*Class 5: \d+\.\d%$/);

  // A longer run: pause holds it, resume continues, stop ends it and keeps its log.
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('100');
  await controls.getByRole('button', { name: 'Train' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Training… · Epoch/);
  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Paused/);
  const held = await controls.locator('progress').getAttribute('value');
  await page.waitForTimeout(1000);
  expect(await controls.locator('progress').getAttribute('value')).toBe(held);
  await controls.getByRole('button', { name: 'Resume' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Training…/);
  await controls.getByRole('button', { name: 'Stop' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Stopped/);
});
