// The guide past 5.1: a learner opens a section, reads the book's output beside ConvLab's, and sees them agree.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { expectMap, loadScene, openGuide, readMap } from '../lab';

const guide = (page: Page) => page.getByRole('complementary', { name: 'Chapter 5', exact: true });

async function openSection(page: Page, name: string): Promise<void> {
  await openGuide(page);
  await page.getByRole('combobox', { name: 'Section' }).selectOption({ label: name });
  await expect(guide(page).getByRole('heading', { name, exact: true })).toBeVisible();
}

/** Every scene of the open section that compares with the book says it agrees; answers how many did. */
async function expectAllAgree(page: Page): Promise<number> {
  const verdicts = guide(page).getByRole('article').getByRole('status');
  const n = await verdicts.count();
  for (let i = 0; i < n; i++) await expect(verdicts.nth(i)).toHaveText('✓ Matches the book');
  return n;
}

test('sections 5.2, 5.3 and 5.4 match every output the book prints, as soon as they open', async ({ app }) => {
  const { page } = app;
  // Section 5.1 is on show at the start: its four printed outputs agree before any scene is loaded, while the lab computes its own maps.
  await openGuide(page);
  expect(await expectAllAgree(page)).toBe(4);
  await openSection(page, '5.2 Padding and stride');
  expect(await expectAllAgree(page)).toBe(6);
  const first = page.getByRole('article', { name: /Padding 1 keeps an 8×8 input 8×8/ });
  await expect(first.getByRole('group', { name: 'The output size, written out' })).toContainText('⌊(8 − 3 + 2 + 1) / 1⌋ = 8');
  await expect(first.getByRole('group', { name: 'The output size, written out' })).toContainText('“same” padding');
  await expect(page.getByRole('article', { name: /Stride 3 down, 2 across/ })).toContainText('0×0 + 6×1 + 0×2 + 0×3 = 6');
  await page.screenshot({ path: test.info().outputPath('guide-5.2.png') });

  await openSection(page, '5.3 Multiple input and output channels');
  expect(await expectAllAgree(page)).toBe(3);
  await expect(page.getByRole('group', { name: 'The 1×1 convolution as a matrix product' })).toContainText('K · X');
  await page.screenshot({ path: test.info().outputPath('guide-5.3.png') });

  await openSection(page, '5.4 Pooling');
  expect(await expectAllAgree(page)).toBe(6);
  await expect(page.getByRole('article', { name: /A 2×3 window/ })).toContainText('[[[[ 0.  3.]\n   [ 8. 11.]\n   [12. 15.]]]]');
  await page.screenshot({ path: test.info().outputPath('guide-5.4.png') });
});

test('each network listing of 5.5–5.11 agrees with the book line by line', async ({ app }) => {
  const { page } = app;
  const lines: Record<string, number> = { '5.5 LeNet': 7, '5.6 AlexNet': 13, '5.7 VGG': 10, '5.8 Network in network (NiN)': 10, '5.9 GoogLeNet': 6, '5.11 ResNet': 10 };
  for (const [section, count] of Object.entries(lines)) {
    await openSection(page, section);
    expect(await expectAllAgree(page)).toBe(1);
    await expect(guide(page).getByRole('cell', { name: 'Matches the book' })).toHaveCount(count);
  }
  await expect(guide(page)).toContainText('conv5 output shape:');
  await page.screenshot({ path: test.info().outputPath('guide-5.11.png') });
  await openSection(page, '5.12 DenseNet');
  await expect(guide(page)).toContainText('The book prints no shape listing');

  // A listing leads on: LeNet to its training view, the others to the Network mode.
  const modes = page.getByRole('tablist', { name: 'Workspace mode' });
  await openSection(page, '5.5 LeNet');
  await guide(page).getByRole('button', { name: 'Train LeNet' }).click();
  await expect(modes.getByRole('tab', { name: 'Train a network', exact: true })).toHaveAttribute('aria-selected', 'true');
  await openSection(page, '5.6 AlexNet');
  await guide(page).getByRole('button', { name: 'Open AlexNet in the Network mode' }).click();
  await expect(modes.getByRole('tab', { name: 'Network', exact: true })).toHaveAttribute('aria-selected', 'true');
});

test('a 5.3 scene loads two input channels into the lab, undoably, and the lab computes the book’s [[56, 72], [104, 120]]', async ({ app }) => {
  const { page } = app;
  await openSection(page, '5.3 Multiple input and output channels');
  await loadScene(page, /5\.3\.1 Two input channels/);
  await expect(page.getByRole('alert')).toContainText('Loaded “In [2] · 5.3.1 Two input channels”: it replaced the lab');
  const channels = page.getByRole('radiogroup', { name: 'Channel to edit' });
  await expect(channels.getByRole('radio')).toHaveCount(2);
  expect(await readMap(page, 'Input, channel 1 of 2')).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  await channels.getByRole('radio', { name: 'Channel 2' }).check();
  expect(await readMap(page, 'Input, channel 2 of 2')).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  await expectMap(page, 'Layer 1 output', [[56, 72], [104, 120]]);
  await page.screenshot({ path: test.info().outputPath('two-channels.png') });

  // The scene, now read off the lab's own maps, still agrees with the book.
  const scene = page.getByRole('article', { name: /5\.3\.1 Two input channels/ });
  await expect(scene.getByRole('status')).toHaveText('✓ Matches the book');

  // Undo brings back the lab as it was: one channel.
  await app.menu('edit', 'edit-undo');
  await expect(page.getByRole('radiogroup', { name: 'Channel to edit' })).toHaveCount(0);
  await expect(page.getByRole('grid', { name: 'Input', exact: true })).toBeVisible();
});

test('an image imported as RGB becomes three channels, red, green and blue', async ({ app }) => {
  const { page } = app;
  await page.getByRole('combobox', { name: 'Colour' }).selectOption('rgb');
  await page.getByRole('combobox', { name: 'Import at' }).selectOption('16');
  // A 16×16 picture, red on the left half and blue on the right, dropped on the input.
  await page.getByRole('region', { name: 'Input', exact: true }).evaluate(async (panel) => {
    const canvas = new OffscreenCanvas(16, 16);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ff0000';
    context.fillRect(0, 0, 8, 16);
    context.fillStyle = '#0000ff';
    context.fillRect(8, 0, 8, 16);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'halves.png', { type: 'image/png' }));
    panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  const channels = page.getByRole('radiogroup', { name: 'Channel to edit' });
  await expect(channels.getByRole('radio')).toHaveCount(3);
  const half = (left: number, right: number) => Array.from({ length: 16 }, () => [...Array(8).fill(left), ...Array(8).fill(right)]);
  await expectMap(page, 'Input, channel 1 of 3', half(1, 0));
  await channels.getByRole('radio', { name: 'Channel 2' }).check();
  await expectMap(page, 'Input, channel 2 of 3', half(0, 0));
  await channels.getByRole('radio', { name: 'Channel 3' }).check();
  await expectMap(page, 'Input, channel 3 of 3', half(0, 1));
  // The first layer now reads three channels: the Sobel layer still gives a 14×14 map.
  await expect(page.getByRole('grid', { name: 'Layer 1 output', exact: true })).toHaveAttribute('aria-rowcount', '14');
  await page.screenshot({ path: test.info().outputPath('rgb-import.png') });
});
