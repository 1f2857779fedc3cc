// Section 5.5's data from the Dataset tab: the four Fashion-MNIST files are found (Debian's copy, installed by
// .ci/run) and verified, and a class's images are shown under its name.
import { expect, test } from '../fixtures';
import { openMode } from '../lab';

test("the Dataset tab finds the system's Fashion-MNIST and verifies all four files", async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Dataset');
  await expect(page.getByRole('heading', { name: 'Fashion-MNIST' })).toBeVisible();
  await expect(page.getByText("From the system's copy (Debian's dataset-fashion-mnist): /usr/share/datasets/fashion-mnist")).toBeVisible();
  const table = page.getByRole('table', { name: 'Dataset files' });
  for (const [content, file] of [
    ['Training images', 'train-images-idx3-ubyte.gz'],
    ['Training labels', 'train-labels-idx1-ubyte.gz'],
    ['Test images', 't10k-images-idx3-ubyte.gz'],
    ['Test labels', 't10k-labels-idx1-ubyte.gz'],
  ]) {
    const row = table.getByRole('row', { name: new RegExp(`^${content} ${file}`) });
    await expect(row.getByRole('cell').last()).toHaveText('Verified');
  }
  await expect(page.getByRole('status').filter({ hasText: 'All four files are verified.' })).toBeVisible();
  // Nothing to download: the button is offered only when the files are not all here.
  await expect(page.getByRole('button', { name: /^Download/ })).toHaveCount(0);
});

test('a typed folder without the dataset is refused by name, and the verified copy stays in use', async ({ app }) => {
  const { page } = app;
  test.skip(app.host === 'electron', 'Electron chooses folders in its native dialog');
  await openMode(page, 'Dataset');
  await expect(page.getByRole('status').filter({ hasText: 'All four files are verified.' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Folder holding the four files' }).fill('/tmp');
  await page.getByRole('button', { name: 'Use this folder' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '/tmp lacks train-images-idx3-ubyte.gz' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'All four files are verified.' })).toBeVisible();
});

test('a class chosen by name shows its images, each labelled with that name, in English and in Chinese', async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Dataset');
  const gallery = page.getByRole('region', { name: 'Images' });
  await gallery.getByRole('combobox', { name: 'Class' }).selectOption({ label: 'Trouser' });
  const grid = gallery.getByRole('list', { name: 'Images of Trouser' });
  await expect(grid.getByRole('listitem')).toHaveCount(64);
  await expect(gallery.getByText('64 of 1000 images')).toBeVisible();
  // The test set's first trousers are its images 2, 3 and 5 (its labels begin 9 2 1 1 6 1).
  await expect(grid.getByRole('img').nth(0)).toHaveAccessibleName('Trouser, image 2');
  await expect(grid.getByRole('img').nth(2)).toHaveAccessibleName('Trouser, image 5');
  // The canvas really holds the garment: a trouser image has many bright pixels on a black ground.
  const bright = await grid.getByRole('img').first().evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 100) n++;
    return n;
  });
  expect(bright).toBeGreaterThan(100);
  await gallery.getByRole('button', { name: 'Next page' }).click();
  await expect(gallery.getByText('64 of 1000 images')).toBeVisible();
  await gallery.getByRole('combobox', { name: 'Set' }).selectOption({ label: 'Training set' });
  await expect(gallery.getByText('64 of 6000 images')).toBeVisible();

  await app.menu('view', 'view-language', 'locale-zh-CN');
  await expect(page.getByRole('list', { name: '裤子 的图像' })).toBeVisible();
  await expect(page.getByRole('list', { name: '裤子 的图像' }).getByText('裤子').first()).toBeVisible();
});
