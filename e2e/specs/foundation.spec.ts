// The house: the window opens on the lab, speaks Chinese and English, and survives a malformed request.
import { MESSAGES } from '../../renderer/src/i18n/messages';
import { expect, test } from '../fixtures';
import { typeGrid, expectMap } from '../lab';

function leaves(tree: unknown): string[] {
  if (typeof tree === 'string') return [tree];
  return Object.values(tree as Record<string, unknown>).flatMap(leaves);
}
/** English phrases found in no Chinese string: none of them may remain in a Chinese window. */
const englishOnly = leaves(MESSAGES.en).filter((phrase) => !leaves(MESSAGES['zh-CN']).some((zh) => zh.includes(phrase)));

test('the window opens on the lab with its panels', async ({ app }) => {
  const { page } = app;
  await expect(page).toHaveTitle('ConvLab');
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Layers' })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Layer 1 kernel', exact: true })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Layer 1 output', exact: true })).toBeVisible();
  await expect(page.getByRole('tablist', { name: 'Workspace mode' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Chapter 5.1' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Formula for the pointed cell' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('window.png') });
});

test('the language switch turns the whole UI to Chinese, is remembered, and turns it back', async ({ app }) => {
  await app.menu('view', 'view-language', 'locale-zh-CN');
  const { page } = app;
  await expect(page.getByRole('grid', { name: '输入', exact: true })).toBeVisible();
  await expect(page.getByRole('grid', { name: '第 1 层输出', exact: true })).toBeVisible();
  const text = await page.locator('body').innerText();
  const leftovers = englishOnly.filter((phrase) => phrase.length > 3 && !phrase.includes('{') && text.includes(phrase));
  expect(leftovers).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('chinese.png') });

  await app.restart();
  await expect(app.page.getByRole('grid', { name: '输入', exact: true })).toBeVisible();

  await app.menu('view', 'view-language', 'locale-en');
  await expect(app.page.getByRole('grid', { name: 'Input', exact: true })).toBeVisible();
  await expect(app.page.getByRole('heading', { name: 'Chapter 5.1, cell by cell' })).toBeVisible();
});

test('a malformed request gets a structured error, and the app keeps working', async ({ app }) => {
  const { page } = app;
  const answers = await page.evaluate(async () => {
    const api = window.convlab!;
    const badLength = await api.forward({ input: { shape: [1, 1, 2, 2], data: new Float32Array(3) }, layers: [] });
    const nan = await api.forward({ input: { shape: [1, 1, 1, 2], data: Float32Array.from([1, NaN]) }, layers: [] });
    // @ts-expect-error: a request the contract does not allow, as a compromised page might send
    const wrongType = await api.forward({ input: 'a picture', layers: 'many' });
    const huge = await api.forward({ input: { shape: [1, 1, 9999, 1], data: new Float32Array(9999) }, layers: [] });
    return { badLength, nan, wrongType, huge };
  });
  expect(answers.badLength).toEqual({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('data length does not match its shape') } });
  expect(answers.nan).toEqual({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('NaN at index 1') } });
  expect(answers.wrongType.ok).toBe(false);
  expect(answers.huge).toEqual({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('height must be at most 512') } });

  // Still working: the book's first example, typed in.
  await page.getByRole('combobox', { name: 'Input preset' }).selectOption('book3x3');
  await page.getByRole('combobox', { name: 'Kernel preset' }).selectOption('book');
  await expectMap(page, 'Layer 1 output', [
    [19, 25],
    [37, 43],
  ]);
  await typeGrid(page, 'Input', [[0, 2]]);
  await expectMap(page, 'Layer 1 output', [
    [20, 25],
    [37, 43],
  ]);
});

test('the theme follows the View menu: dark, light, and back to the system', async ({ app }) => {
  const { page } = app;
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await app.menu('view', 'view-theme', 'theme-dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe('rgb(22, 24, 29)');
  await page.screenshot({ path: test.info().outputPath('dark.png') });
  await app.menu('view', 'view-theme', 'theme-light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(244, 244, 241)');
  await app.menu('view', 'view-theme', 'theme-system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
});

test('View › Zoom scales the lab, and Help opens About and the chapter guide', async ({ app }) => {
  const { page } = app;
  // The maps fill the space at any zoom; the controls and their text are what zoom makes bigger.
  const control = page.getByRole('button', { name: 'Resize', exact: true });
  const width = async () => (await control.boundingBox())!.width;
  const before = await width();
  await app.menu('view', 'view-zoom-in');
  await expect.poll(width).toBeCloseTo(before * 1.1, 0);
  await app.menu('view', 'view-zoom-reset');
  await expect.poll(width).toBeCloseTo(before, 0);
  await app.menu('help', 'help-about');
  const about = page.getByRole('dialog', { name: 'About ConvLab' });
  await expect(about).toContainText('Version 0.1.0');
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
});
