// File › Export Network: the lab's stack and the Train a network mode's chosen network as ONNX, the Network mode's book
// network as a PyTorch script, saved as a person saves them (a download in the browser host, the save dialog in Electron).
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { saveTo } from '../files';
import { openMode } from '../lab';

test('the lab\'s stack exports as an ONNX model', async ({ app }) => {
  const path = test.info().outputPath('lab-network.onnx');
  await saveTo(app, path, () => app.menu('file', 'file-export-onnx'));
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  // ModelProto's ir_version (field 1, varint 7) opens the file; its producer, nodes and graph input follow.
  expect([...bytes.subarray(0, 2)]).toEqual([0x08, 7]);
  for (const s of ['ConvLab', 'Conv', 'input', 'output', '0.weight']) expect(text).toContain(s);
});

test('the Network mode\'s book network exports as a PyTorch training script', async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Network');
  await page.getByRole('combobox', { name: 'Network', exact: true }).selectOption({ label: 'NiN (5.8)' });
  await expect(page.getByRole('table').first()).toBeVisible();
  const path = test.info().outputPath('nin.py');
  await saveTo(app, path, () => app.menu('file', 'file-export-pytorch'));
  const script = readFileSync(path, 'utf8');
  expect(script).toContain('TITLE = "NiN"');
  expect(script).toContain('nn.AdaptiveAvgPool2d(1)');
  expect(script).toContain('DistributedDataParallel');
});

test('the Train a network mode\'s chosen network, before any run, exports as ONNX at the size it trains at', async ({ app }) => {
  const { page } = app;
  await openMode(page, 'Train a network');
  await page.getByRole('combobox', { name: 'Network', exact: true }).selectOption({ label: 'BN-LeNet' });
  await expect(page.getByRole('heading', { name: 'BN-LeNet on Fashion-MNIST' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Network training controls' }).getByRole('button', { name: 'Export as a PyTorch script' })).toBeDisabled();
  const path = test.info().outputPath('bn_lenet-28.onnx');
  await saveTo(app, path, () => app.menu('file', 'file-export-onnx'));
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 2)]).toEqual([0x08, 7]);
  for (const s of ['BN-LeNet', 'Conv', 'BatchNormalization']) expect(bytes.toString('latin1')).toContain(s);
});
