// Section 5.1.4 from the training tab: the book's run prints the book's numbers, a typed start follows the reference
// trajectory, pause and resume, a divergent learning rate, refused settings, charts really drawn, and 5.1.5's flip.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { expectMap, openMode, typeGrid } from '../lab';
import { REFERENCE_PATH } from '../../core/test-support/reference-path';

const BOOK_LOG = ['batch 2, loss 4.949', 'batch 4, loss 0.831', 'batch 6, loss 0.140', 'batch 8, loss 0.024', 'batch 10, loss 0.004'];

async function openTraining(page: Page): Promise<void> {
  await openMode(page, 'Training');
  await expect(page.getByRole('heading', { name: 'Learn a kernel (5.1.4)' })).toBeVisible();
}

async function readLog(page: Page): Promise<string[]> {
  return page.getByRole('log', { name: 'Training log' }).locator('.line').allInnerTexts();
}

async function setField(page: Page, name: string, value: string): Promise<void> {
  const field = page.getByRole('textbox', { name, exact: true });
  await field.fill(value);
  await field.press('Enter');
  await field.blur();
}

/** Pixels of a canvas that differ from its corner (the background): a drawn chart has thousands. */
async function drawnPixels(canvas: Locator): Promise<number> {
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

test("the book's run prints the book's losses and learned weight, draws its charts, and applies the kernel", async ({ app }) => {
  const { page } = app;
  await openTraining(page);
  await page.getByRole('button', { name: "Load the book's run" }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done · Iteration 10 of 10' })).toBeVisible();
  const log = await readLog(page);
  expect(log.slice(0, 5)).toEqual(BOOK_LOG);
  expect(log.slice(5)).toEqual(['Learned weight:', '[[ 0.9895    -0.9873705]]']);
  await expectMap(page, 'Learned kernel', [[0.9895, -0.9873705]]);

  for (const name of ['Chart of the loss per iteration', 'Chart of every kernel weight over the iterations', 'Heat map of the loss over the two kernel weights k1 and k2, with contour lines and the optimiser’s path']) {
    await expect.poll(() => drawnPixels(page.getByRole('img', { name })), { message: name }).toBeGreaterThan(1000);
  }
  await page.getByRole('img', { name: 'Chart of the loss per iteration' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('training.png') });
  await page.getByRole('button', { name: 'Apply learned kernel to layer 1' }).click();
  await openMode(page, 'Lab');
  await expectMap(page, 'Layer 1 kernel', [[0.9895, -0.9873705]]);
});

test('from a typed start, every loss equals the reference trajectory (init_1) within 1e-5', async ({ app }) => {
  const { page } = app;
  const reference = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8'));
  const init1 = reference.kernel_learning.find((c: { id: string }) => c.id === 'init_1');
  await openTraining(page);
  await page.getByRole('radio', { name: 'Typed' }).check();
  await typeGrid(page, 'Starting weights', [[0.05, -0.03]]);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done · Iteration 10 of 10' })).toBeVisible();
  expect((await readLog(page)).slice(0, 5)).toEqual(['batch 2, loss 4.534', 'batch 4, loss 0.762', 'batch 6, loss 0.128', 'batch 8, loss 0.022', 'batch 10, loss 0.004']);
  await page.getByText('Every iteration').click();
  const rows = await page.getByRole('table', { name: 'Loss and weights per iteration' }).locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
  );
  expect(rows).toHaveLength(10);
  rows.forEach(([i, loss, weights], t) => {
    expect(Number(i)).toBe(t + 1);
    expect(Math.abs(Number(loss) - init1.loss[t])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(init1.loss[t])));
    weights.trim().split(/\s+/).map(Number).forEach((w, k) => expect(Math.abs(w - init1.weight[t][k])).toBeLessThanOrEqual(1e-5));
  });
});

test('pause holds the run, step moves it by one iteration, resume finishes it', async ({ app }) => {
  const { page } = app;
  await openTraining(page);
  await setField(page, 'Iterations', '100');
  await page.getByRole('button', { name: 'Start' }).click();
  const controls = page.getByRole('group', { name: 'Training controls' });
  const progress = controls.getByRole('progressbar', { name: 'Training progress' });
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(3);
  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  const at = Number(await progress.getAttribute('value'));
  await page.waitForTimeout(300);
  expect(Number(await progress.getAttribute('value'))).toBe(at);
  await controls.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBe(at + 1);
  await controls.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done · Iteration 100 of 100' })).toBeVisible();
  expect((await readLog(page)).filter((line) => line.startsWith('batch'))).toHaveLength(10);
});

test('a learning rate too large stops the run, keeps its chart, and says the rate is too large', async ({ app }) => {
  const { page } = app;
  await openTraining(page);
  await setField(page, 'Learning rate', '1');
  await setField(page, 'Iterations', '100');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'the learning rate 1 is too large' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Stopped: the loss diverged' })).toBeVisible();
  const log = await readLog(page);
  expect(log.some((line) => /^Stopped at iteration \d+: loss \d+\.\d{3}$|loss (inf|nan)$/.test(line))).toBe(true);
  expect(await drawnPixels(page.getByRole('img', { name: 'Chart of the loss per iteration' }))).toBeGreaterThan(1000);
});

test('bad settings are refused with a message before training starts', async ({ app }) => {
  const { page } = app;
  await openTraining(page);
  const start = page.getByRole('button', { name: 'Start' });
  await setField(page, 'Learning rate', '0');
  await start.click();
  await expect(page.getByRole('alert')).toHaveText('The learning rate must be a positive, finite number (got 0).');
  await setField(page, 'Learning rate', '0.03');
  await setField(page, 'Iterations', '0');
  await start.click();
  await expect(page.getByRole('alert')).toHaveText('Iterations must be a whole number from 1 to 100000 (got 0).');
  await setField(page, 'Iterations', '10');
  const rows = page.getByRole('spinbutton', { name: 'Kernel to learn Rows' });
  await rows.fill('7');
  await rows.press('Enter');
  await start.click();
  await expect(page.getByRole('alert')).toHaveText('The kernel 7×2 is larger than the input 6×8.');
  await expect(page.getByRole('status').filter({ hasText: 'Iteration 0 of 0' })).toBeVisible();
});

test('cross-correlation and convolution learn kernels that are flips of each other (5.1.5)', async ({ app }) => {
  const { page } = app;
  await openTraining(page);
  await setField(page, 'Iterations', '30');
  await page.getByRole('button', { name: 'Train both' }).click();
  await expect(page.getByRole('status').filter({ hasText: '✓ The convolution’s kernel is the cross-correlation’s, flipped' })).toBeVisible();
  await expectMap(page, 'Learned by cross-correlation', [[1, -1]], 0.02);
  await expectMap(page, 'Learned by convolution', [[-1, 1]], 0.02);
});
