// The Train a network tab end to end in seconds: a small IDX dataset (another 28×28 dataset, as MNIST would be) is chosen in
// the Dataset tab, and a run goes through its epochs: log lines, charts, confusion matrix, a test image probed through
// every layer, the images it gets most wrong, the drawing pad, controls.
import { expect, test } from '../fixtures';
import { hoverUnit, openMode } from '../lab';
import { drawnPixels, hoverCell, overlayPixels, useSmallDataset } from '../net-training';

test('a small IDX dataset chosen by folder trains LeNet through its epochs: log, charts, confusion matrix, the probe through every layer, the images it gets most wrong, drawing pad, controls', async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  test.setTimeout(180_000);
  const { page } = app;
  await useSmallDataset(page);

  await openMode(page, 'Train a network');
  await page.getByRole('combobox', { name: 'Activation' }).selectOption({ label: 'ReLU' });
  await page.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.1');
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
  const controls = page.getByRole('group', { name: 'Network training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  const log = page.getByRole('log', { name: 'Network training log' });
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

  // A test image through every layer on the lab's map grids: conv2's 16 maps of 8×8, every cell named.
  const probe = page.getByRole('region', { name: 'A test image through the network' });
  await probe.getByRole('combobox', { name: 'Test image of class' }).selectOption({ label: 'Class 3' });
  await expect(probe.getByText('True class: Class 3')).toBeVisible();
  await expect(probe.getByRole('grid', { name: /^conv2 output, channel \d+$/ })).toHaveCount(16);
  const conv2 = probe.getByRole('grid', { name: 'conv2 output, channel 3', exact: true });
  await expect(conv2.getByRole('gridcell')).toHaveCount(64);
  await expect(probe.getByRole('grid', { name: /^conv1 output, channel \d+$/ })).toHaveCount(6);
  await expect(probe.getByRole('grid', { name: 'dense1 output, 120 units', exact: true })).toBeVisible();
  // Pointing at conv2's unit (row 2, column 6) outlines its 14×14 field on the image, its 5×5 window on pool1 and
  // the field on conv1; the engine's gradient of that unit lights the image inside the field.
  const image = probe.getByRole('grid', { name: 'Input image', exact: true });
  await conv2.scrollIntoViewIfNeeded();
  await hoverUnit(page, 'conv2 output, channel 3', 1, 5);
  await expect(image).toHaveAccessibleDescription('receptive field: rows 3–16, columns 11–24');
  await expect(probe.getByRole('grid', { name: 'pool1 output, channel 1', exact: true })).toHaveAccessibleDescription(
    'window of the pointed cell: rows 2–6, columns 6–10',
  );
  await expect(probe.getByRole('grid', { name: 'conv1 output, channel 6', exact: true })).toHaveAccessibleDescription('receptive field: rows 3–12, columns 11–20');
  await expect(conv2).toHaveAccessibleDescription('pointed cell: row 2, column 6');
  const said = probe.getByRole('status', { name: 'What the pointed unit reads' });
  await expect(said).toContainText('conv2 output, channel 3, row 2, column 6');
  await expect(said.getByTestId('net-field')).toHaveText('Receptive field: input rows 3–16, columns 11–24 (14×14 pixels).');
  await expect(said.getByTestId('net-heat')).toHaveText(/^Gradient on the image \(effective receptive field\): \d+ pixels nonzero, within rows \d+–\d+, columns \d+–\d+\.$/);
  const heat = await said.getByTestId('net-heat').textContent();
  const [, top, bottom, left, right] = heat!.match(/rows (\d+)–(\d+), columns (\d+)–(\d+)/)!.map(Number);
  expect(top >= 3 && bottom <= 16 && left >= 11 && right <= 24).toBe(true);
  expect(await overlayPixels(image)).toBeGreaterThan(0);
  // The keyboard reaches the same probe: a focused pool2 unit reads one conv2 channel, and Enter pins it.
  await page.mouse.move(0, 0);
  const pool2 = probe.getByRole('grid', { name: 'pool2 output, channel 5', exact: true });
  await pool2.getByRole('gridcell').nth(4 * 3 + 1).focus();
  await pool2.getByRole('gridcell').nth(4 * 3 + 1).press('Enter');
  await expect(said).toContainText('pool2 output, channel 5, row 4, column 2 · pinned');
  await expect(probe.getByRole('grid', { name: 'conv2 output, channel 5', exact: true })).toHaveAccessibleDescription('window of the pointed cell: rows 7–8, columns 3–4');
  await expect(probe.getByRole('grid', { name: 'conv2 output, channel 4', exact: true })).not.toHaveAttribute('aria-describedby');
  await expect(image).toHaveAccessibleDescription('receptive field: rows 13–28, columns 5–20');
  await expect(said.getByTestId('net-heat')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('lenet-probe.png'), fullPage: true });

  // The images it gets most wrong, each with its true and predicted class; a click sends one to the test image.
  const wrong = page.getByRole('list', { name: 'Test images with the lowest probability on their true class after epoch 3' });
  await expect(wrong.getByRole('button')).toHaveCount(12);
  await wrong.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('lenet-most-wrong.png') });
  const first = wrong.getByRole('button').first();
  await expect(first).toHaveAccessibleName(/^Test image (\d+): true Class (\d), predicted Class \d \(\d+\.\d%\); Class \d got \d+\.\d%$/);
  const [, index, truth] = (await first.getAttribute('aria-label'))!.match(/^Test image (\d+): true Class (\d)/)!;
  await first.click();
  await expect(probe.getByText(`Test image ${index}`, { exact: true })).toBeVisible();
  await expect(probe.getByText(`True class: Class ${truth}`)).toBeVisible();

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
  // Its maps on request, probed the same way: a conv1 unit on the drawn bar reads a 5×5 window of the drawing.
  await pad.getByRole('checkbox', { name: 'Show its maps through every layer' }).check();
  await expect(pad.getByRole('grid', { name: /^conv2 output, channel \d+$/ })).toHaveCount(16);
  await hoverCell(page, pad.getByRole('grid', { name: 'conv1 output, channel 2', exact: true }), 10, 12);
  await expect(pad.getByRole('grid', { name: 'Input image', exact: true })).toHaveAccessibleDescription('window of the pointed cell: rows 11–15, columns 13–17');
  await expect(pad.getByRole('status', { name: 'What the pointed unit reads' }).getByTestId('net-heat')).toBeVisible();
  await pad.getByRole('grid', { name: 'Input image', exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('lenet-pad-maps.png') });

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
