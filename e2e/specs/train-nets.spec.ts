// Training beyond LeNet (5.10–5.11): BN-LeNet picked in the training tab learns on a small IDX dataset, its first
// batch norm's γ and β shown per channel and moving from 1 and 0; the explorer sends a scaled-down ResNet-18 there
// with its settings in one click, and it trains with the same log and charts.
import { expect, test } from '../fixtures';
import { openMode } from '../lab';
import { drawnPixels, useSmallDataset } from '../net-training';

test("BN-LeNet trains through the UI with the book's settings, and its first batch norm's γ and β are shown as they learn", async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  test.setTimeout(120_000);
  const { page } = app;
  await useSmallDataset(page);
  await openMode(page, 'Train a network');
  await page.getByRole('combobox', { name: 'Network' }).selectOption({ label: 'BN-LeNet' });
  await expect(page.getByRole('heading', { name: 'BN-LeNet on Fashion-MNIST' })).toBeVisible();
  await expect(page.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('1');
  // The layer table follows: a batch norm after conv1, with its 6 γ and 6 β.
  const layers = page.getByRole('table', { name: 'Network layers' });
  await expect(layers.getByRole('row', { name: /^1 batchnorm \(6, 24, 24\) 12 / })).toBeVisible();
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('1');
  const controls = page.getByRole('group', { name: 'Network training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  const log = page.getByRole('log', { name: 'Network training log' });
  await expect(log.locator('.line')).toHaveText([/^epoch 1, loss \d+\.\d{4}, train acc /], { timeout: 90_000 });

  const norm = page.getByRole('table', { name: 'First batch normalisation (1): γ and β per channel' });
  await expect(norm.getByRole('row')).toHaveCount(7);
  const values = await norm.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => Number(cell.textContent))));
  expect(values).toHaveLength(6);
  for (const [gamma, beta] of values) expect(Number.isFinite(gamma) && Number.isFinite(beta)).toBe(true);
  // Trained, they are no longer the initial 1 and 0.
  expect(values.some(([gamma]) => gamma !== 1)).toBe(true);
  expect(values.some(([, beta]) => beta !== 0)).toBe(true);
  expect(await drawnPixels(page.getByRole('img', { name: 'Loss per batch' }))).toBeGreaterThan(200);
  await page.screenshot({ path: test.info().outputPath('bn_lenet.png') });
});

test('the explorer trains a scaled-down ResNet-18 in one click: its settings, its cost, the same log and charts', async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  test.setTimeout(120_000);
  const { page } = app;
  await useSmallDataset(page);
  await openMode(page, 'Network');
  await page.getByRole('combobox', { name: 'Network', exact: true }).selectOption({ label: 'ResNet-18 (5.11)' });
  const here = page.getByRole('region', { name: 'Train this network here' });
  await expect(here).toContainText(/One training epoch at the book’s 96×96: [\d,]+ multiply-adds/);
  await expect(here).toContainText(/Scaled down to 28×28 with every width ÷ 8: [\d,]+ multiply-adds/);
  await page.screenshot({ path: test.info().outputPath('explorer-train-here.png') });
  await here.getByRole('button', { name: 'Train a scaled-down version' }).click();

  await expect(page.getByRole('heading', { name: 'ResNet-18 on Fashion-MNIST' })).toBeVisible();
  await expect(page.getByRole('spinbutton', { name: 'Width divisor' })).toHaveValue('8');
  await expect(page.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('0.05');
  await page.getByRole('spinbutton', { name: 'Width divisor' }).fill('16');
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Batch size' }).fill('128');
  const controls = page.getByRole('group', { name: 'Network training controls' });
  await controls.getByRole('button', { name: 'Train' }).click();
  const log = page.getByRole('log', { name: 'Network training log' });
  await expect(log.locator('.line')).toHaveText([/^epoch 1, loss \d+\.\d{4}, /], { timeout: 100_000 });
  // ResNet's first convolution is 7×7 (64 ÷ 16 = 4 filters), its second 3×3.
  await expect(page.getByRole('img', { name: 'conv1: 4 filters of 7×7' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'conv2: 4 × 4 filters of 3×3' })).toBeVisible();
  expect(await drawnPixels(page.getByRole('img', { name: 'Accuracy per epoch' }))).toBeGreaterThan(100);
  await expect(controls.getByRole('button', { name: 'Export as a PyTorch script' })).toBeDisabled();
});
