// Section 5.5 from the Train a network tab: the book's settings train the real net on Debian's Fashion-MNIST in the engine
// worker, far enough to print the book's first epoch line, draw both charts, show the filters and predict.
import { expect, test } from '../fixtures';
import { openMode } from '../lab';
import { drawnPixels } from '../net-training';

test("the book's settings train LeNet through the UI: the log's epoch line, both charts, the filters, predictions", async ({ app }) => {
  // A full epoch of the real data runs before the first log line: minutes on a busy 2-core machine.
  test.setTimeout(600_000);
  const { page } = app;
  await openMode(page, 'Train a network');
  await page.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.1');
  await page.getByRole('button', { name: 'The book’s settings' }).click();
  await expect(page.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('0.9');
  await expect(page.getByRole('spinbutton', { name: 'Batch size' })).toHaveValue('256');
  await expect(page.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('5');
  await expect(page.getByRole('combobox', { name: 'Activation' })).toHaveValue('sigmoid');

  const controls = page.getByRole('group', { name: 'Network training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  await expect(controls.getByText(/Epoch 1 of 5, batch \d+ of 235/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('img', { name: 'conv1: 6 filters of 5×5' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'conv2: 16 × 6 filters of 5×5' })).toBeVisible();
  expect(await drawnPixels(page.getByRole('img', { name: 'conv1: 6 filters of 5×5' }))).toBeGreaterThan(20);

  // A test image of the chosen class runs through every layer while the net trains.
  const probe = page.getByRole('region', { name: 'A test image through the network' });
  await probe.getByRole('combobox', { name: 'Test image of class' }).selectOption({ label: 'Trouser' });
  await expect(probe.getByText('True class: Trouser')).toBeVisible();
  await expect(probe.getByRole('list', { name: 'Top three' }).getByRole('listitem')).toHaveCount(3);
  await expect(probe.getByRole('grid', { name: /^conv1 output, channel \d$/ })).toHaveCount(6);
  await expect(probe.getByRole('grid', { name: 'pool2 output, channel 16', exact: true })).toBeVisible();

  const log = page.getByRole('log', { name: 'Network training log' });
  await expect(log).toHaveText(/^epoch 1, loss \d\.\d{4}, train acc 0\.\d{3}, test acc 0\.\d{3}, time \d+\.\d sec\s*$/, { timeout: 540_000 });
  await expect(page.getByRole('table', { name: 'Confusion matrix after epoch 1' })).toBeVisible();
  expect(await drawnPixels(page.getByRole('img', { name: 'Loss per batch' }))).toBeGreaterThan(200);
  expect(await drawnPixels(page.getByRole('img', { name: 'Accuracy per epoch' }))).toBeGreaterThan(200);

  // Draw on the pad: the net classifies the drawing.
  const pad = page.getByRole('region', { name: 'Draw your own' });
  const padCanvas = pad.getByRole('img', { name: 'Drawing pad, 28×28' });
  await padCanvas.scrollIntoViewIfNeeded();
  const box = (await padCanvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.85, { steps: 12 });
  await page.mouse.up();
  await expect(pad.getByRole('list', { name: 'Top three' }).getByRole('listitem')).toHaveCount(3);
  await expect(pad.getByRole('list', { name: 'Top three' }).getByRole('listitem').first()).toHaveText(/^\s*.+: \d+\.\d%$/);

  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Paused/);
  await controls.getByRole('button', { name: 'Resume' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Training…/);
  await controls.getByRole('button', { name: 'Stop' }).click();
  await expect(controls.getByRole('paragraph').first()).toHaveText(/^Stopped/);
  await expect(log).toHaveText(/^epoch 1, /);
});
