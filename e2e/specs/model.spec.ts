// Any CNN opened from an ONNX file (issue 21): the tiny ResNet fixture opens from File › Open model…, its listing
// gives its nodes' shapes, an image through it gives the top five classes, and a unit probed shows its receptive
// field on the input; a channels-last model dropped on the window runs the lab's drawing.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type App } from '../fixtures';
import { answerDialog } from '../files';
import { cellCentre } from '../lab';

const MODEL = fileURLToPath(new URL('../../electron/model/fixtures/nets/tiny_resnet-opset13.onnx', import.meta.url));
const KERAS = fileURLToPath(new URL('../../electron/model/fixtures/nets/keras_like-opset13.onnx', import.meta.url));
const IMAGE = fileURLToPath(new URL('../../build/icons/64x64.png', import.meta.url));

/** File › Open model…: the native dialog in Electron, the browser's file chooser in the browser host. */
async function openModel(app: App, path: string): Promise<void> {
  if (app.electron) {
    await answerDialog(app, 'showOpenDialog', path);
    await app.menu('file', 'file-open-model');
    return;
  }
  const chooser = app.page.waitForEvent('filechooser');
  await app.menu('file', 'file-open-model');
  await (await chooser).setFiles(path);
}

test('the tiny ResNet opens, lists its shapes, reads an image into its top five and probes a unit', async ({ app }) => {
  const { page } = app;
  await openModel(app, MODEL);
  await expect(page.getByRole('button', { name: 'Opened model: tiny_resnet-opset13.onnx' })).toHaveAttribute('aria-pressed', 'true');

  const table = page.getByRole('table', { name: 'Every node of tiny_resnet-opset13.onnx' });
  const shapeOf = (node: string) => table.getByRole('row', { name: new RegExp(`^${node.replace(/[/.]/g, '\\$&')} `) }).getByRole('cell').nth(1);
  await expect(shapeOf('/stem/stem.0/Conv')).toHaveText('(1, 8, 16, 16)');
  await expect(shapeOf('/Add')).toHaveText('(1, 16, 8, 8)');
  await expect(shapeOf('/head/Gemm')).toHaveText('(1, 10)');
  await expect(page.getByText('/body/body.3/Conv Conv output shape:\t (1, 16, 8, 8)', { exact: false })).toBeVisible();

  const graph = page.getByRole('navigation', { name: 'Graph of tiny_resnet-opset13.onnx' });
  await graph.getByRole('button', { name: 'Open block body' }).click();
  await expect(graph.getByRole('button', { name: 'Node /body/body.2/Relu (Relu), output (1, 16, 8, 8)' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Node /Add (Add), output (1, 16, 8, 8)' })).toContainText('adds 2 paths');
  await graph.getByRole('button', { name: 'Show the paths into /Add' }).click();
  await expect(graph.getByRole('group', { name: 'path 1' })).toContainText('/body/body.3/Conv');
  await expect(graph.getByRole('group', { name: 'skip' })).toContainText('/shortcut/shortcut.0/Conv');
  await page.screenshot({ path: test.info().outputPath('model-graph.png') });

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Image…' }).click();
  await (await chooser).setFiles(IMAGE);
  const top = page.getByRole('region', { name: 'The top 5 classes' });
  await expect(top.getByRole('listitem')).toHaveCount(5);
  await expect(top.getByRole('listitem').first()).toHaveText(/^1\. class \d: /);

  await graph.getByRole('button', { name: 'Node /Add (Add), output (1, 16, 8, 8)' }).click();
  const channel = 'Channel 1 of /Add';
  await expect(page.getByRole('grid', { name: channel, exact: true })).toBeVisible();
  await page.getByRole('grid', { name: channel, exact: true }).scrollIntoViewIfNeeded();
  const at = await cellCentre(page, channel, 4, 4);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByText('Unit 1, 5, 5 of /Add')).toBeVisible();
  await expect(page.getByText(/^Receptive field: rows \d+–\d+, columns \d+–\d+ \(2 paths\)$/)).toBeVisible();
  await expect(page.getByRole('grid', { name: 'The input with the unit’s receptive field', exact: true })).toHaveAccessibleDescription(/receptive field: rows \d+–\d+, columns \d+–\d+/);
  await page.screenshot({ path: test.info().outputPath('model.png'), fullPage: true });
});

test('a Keras-like model (channels last) dropped on the window reads the lab’s drawing into its top five', async ({ app }) => {
  const { page } = app;
  const bytes = [...(await readFile(KERAS))];
  // What a file dragged from the desktop gives the page: a drop carrying one File.
  await page.evaluate((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(content)], 'keras_like-opset13.onnx'));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(page.getByRole('button', { name: 'Opened model: keras_like-opset13.onnx' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('takes 1×8×8×3, gives 1×6')).toBeVisible();
  await page.getByRole('button', { name: 'Use the lab’s drawing' }).click();
  const top = page.getByRole('region', { name: 'The top 5 classes' });
  await expect(top.getByRole('listitem')).toHaveCount(5);
});
