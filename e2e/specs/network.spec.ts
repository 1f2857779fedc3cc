// The network explorer (5.5–5.12): ResNet-18's layer table reads as the book's 5.11 listing, AlexNet refuses a
// 64×64 input naming the layer and the arithmetic, and a unit after GoogLeNet's first Inception block shows its
// field on the input: the union of its four paths' fields.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { hoverUnit, openMode } from '../lab';

/** The book's 5.11 listing: ResNet-18 at 224×224. */
const RESNET_LISTING: [string, string][] = [
  ['conv5', '(1, 64, 112, 112)'], ['batchnorm4', '(1, 64, 112, 112)'], ['relu0', '(1, 64, 112, 112)'], ['pool0', '(1, 64, 56, 56)'],
  ['sequential1', '(1, 64, 56, 56)'], ['sequential2', '(1, 128, 28, 28)'], ['sequential3', '(1, 256, 14, 14)'],
  ['sequential4', '(1, 512, 7, 7)'], ['pool1', '(1, 512, 1, 1)'], ['dense0', '(1, 10)'],
];

async function openNetwork(page: Page, network: string): Promise<void> {
  await openMode(page, 'Network');
  await page.getByRole('combobox', { name: 'Network', exact: true }).selectOption({ label: network });
}

/** The layer table's rows as [row header, output shape], by the table's own column headers. */
async function readLayerTable(page: Page, caption: RegExp): Promise<[string, string][]> {
  const table = page.getByRole('table', { name: caption });
  await expect(table).toBeVisible();
  const headers = await table.locator('thead th').allInnerTexts();
  const shape = headers.indexOf('Output shape');
  expect(shape).toBeGreaterThan(0);
  return table.locator('tbody tr.block-row').evaluateAll(
    (rows, column) => rows.map((row) => [row.querySelector('th')!.textContent!.trim(), row.children[column].textContent!.trim()] as [string, string]),
    shape,
  );
}

test("ResNet-18's layer table gives the book's 5.11 shapes, with totals, and its diagram opens a residual into body and skip", async ({ app }) => {
  const { page } = app;
  await openNetwork(page, 'ResNet-18 (5.11)');
  expect(await readLayerTable(page, /^ResNet-18 at 224×224/)).toEqual(RESNET_LISTING);
  const table = page.getByRole('table', { name: /^ResNet-18 at 224×224/ });
  await expect(table.getByRole('columnheader', { name: 'Receptive field' })).toBeVisible();
  await expect(table.locator('tfoot')).toContainText('11,178,378');
  await expect(page.getByText('sequential4 output shape:\t (1, 512, 7, 7)', { exact: false })).toBeVisible();

  const diagram = page.getByRole('navigation', { name: 'ResNet-18: blocks' });
  await diagram.getByRole('button', { name: 'Open sequential2 into its layers' }).click();
  await expect(diagram.getByRole('button', { name: 'Close sequential2' })).toHaveAttribute('aria-expanded', 'true');
  await expect(diagram.getByText('1×1 conv skip').or(diagram.getByText('skip')).first()).toBeVisible();
});

test('AlexNet refuses a 64×64 input with the layer and the arithmetic, and keeps the view it had', async ({ app }) => {
  const { page } = app;
  await openNetwork(page, 'AlexNet (5.6)');
  await expect(page.getByRole('table', { name: /^AlexNet at 224×224/ })).toBeVisible();
  await page.getByRole('spinbutton', { name: 'Input side' }).fill('64');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'AlexNet at 64×64' })).toContainText(
    'pool2 (pool): layer 12 (maxpool): the 3×3 window does not fit the input 2×2 (height: ⌊(2 + 2·0 − 3)/2⌋ + 1 = 0)',
  );
  await expect(page.getByRole('table', { name: /^AlexNet at 224×224/ })).toBeVisible();
  await expect(page.getByText('smallest side it takes: 67')).toBeVisible();
});

test("a unit after GoogLeNet's first Inception block: its field on the input is the union of its four paths' fields", async ({ app }) => {
  const { page } = app;
  await openNetwork(page, 'GoogLeNet (5.9)');
  await page.getByRole('button', { name: 'Run the forward pass' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'multiply-adds' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'inception0, Inception block, output (1, 256, 12, 12)' }).click();
  await expect(page.getByRole('grid', { name: 'inception0 channel 1', exact: true })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'inception0 channel 64', exact: true })).toBeVisible();
  await page.getByRole('grid', { name: 'inception0 channel 1', exact: true }).scrollIntoViewIfNeeded();
  await hoverUnit(page, 'inception0 channel 1', 6, 3);
  // r = 59, j = 8, u = −29: rows −29 + 6·8 … +58, columns −29 + 3·8 … +58 from 0, clipped to the 96×96 image;
  // the app counts rows and columns from 1.
  await expect(page.getByText('inception0, channel 1, row 7, column 4')).toBeVisible();
  await expect(page.getByText('field on the input: rows 20–78, columns 1–54 (59×59 with jump 8×8)')).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Network input', exact: true })).toHaveAccessibleDescription(
    'receptive field: rows 20–78, columns 1–54',
  );
  const paths = page.getByRole('listitem').filter({ hasText: /^path \d/ });
  await expect(paths).toHaveText([
    'path 1: rows 36–62, columns 12–38 (size 27×27)',
    'path 2: rows 28–70, columns 4–46 (size 43×43)',
    'path 3: rows 20–78, columns 1–54 (size 59×59)',
    'path 4: rows 28–70, columns 4–46 (size 43×43)',
  ]);
  // Channel 1 of the join is one of path 1's 64 (the 1×1 convolution's).
  await expect(page.getByText('Channel 1 of the join is made by path 1 alone')).toBeVisible();
});

test('two networks side by side at the sizes the book trains them, with the cost of one epoch', async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Network');
  const compare = page.getByRole('table', { name: 'At the size the book trains each one, one grey channel' });
  await page.getByRole('combobox', { name: 'Right network', exact: true }).selectOption({ label: 'AlexNet (5.6)' });
  const row = (name: string) => compare.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell');
  await expect(row('Input')).toHaveText(['28×28', '224×224']);
  await expect(row('Parameters')).toHaveText(['44,426', '46,764,746']);
  await expect(row('Multiply-adds per image')).toHaveText(['281,640', '938,146,176']);
  await expect(row('Receptive field of the last convolution')).toHaveText(['14×14, jump 2×2', '163×163, jump 16×16']);
  // 281,640 × 60,000 forward passes in an epoch.
  await expect(row('One epoch of Fashion-MNIST')).toHaveText(['16,898,400,000', '56,288,770,560,000']);
  await expect(page.getByText(/ResNet at 28×28 with a sixteenth of the channels needs 165,264 multiply-adds per image/)).toBeVisible();
});

test('a forward pass above the compute budget is refused with its cost and the limit, before any work', async ({ app }) => {
  const { page } = app;
  await openNetwork(page, 'VGG-11 (5.7)');
  await page.getByRole('button', { name: 'Run the forward pass' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'VGG-11 at 224×224' })).toContainText(
    'needs 7.55 billion multiply-adds for one forward pass; the limit is 2.00 billion (choose a smaller input)',
  );
});
