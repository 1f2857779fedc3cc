import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'electron/cli/nets.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('npm run -s nets', () => {
  it('prints ResNet-18’s listing at 224 as the book does, then the table and its totals', () => {
    const r = run('--net', 'resnet18', '--size', '224');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(2, 12)).toEqual([
      'conv5 output shape:\t (1, 64, 112, 112)',
      'batchnorm4 output shape:\t (1, 64, 112, 112)',
      'relu0 output shape:\t (1, 64, 112, 112)',
      'pool0 output shape:\t (1, 64, 56, 56)',
      'sequential1 output shape:\t (1, 64, 56, 56)',
      'sequential2 output shape:\t (1, 128, 28, 28)',
      'sequential3 output shape:\t (1, 256, 14, 14)',
      'sequential4 output shape:\t (1, 512, 7, 7)',
      'pool1 output shape:\t (1, 512, 1, 1)',
      'dense0 output shape:\t (1, 10)',
    ]);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/^total\s+1×10\s+11,178,378\s+1,734,890,496$/);
    expect(lines.find((l) => l.trimStart().startsWith('4.shortcut') || l.trimStart().startsWith('6.shortcut.0'))).toMatch(/conv2d 64→128 1 s2 p0/);
  });

  it('refuses a size the network cannot take, naming the layer and the smallest size', () => {
    const r = run('--net', 'alexnet', '--size', '66');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('AlexNet at 66×66: pool2 (pool): layer 12 (maxpool)');
    expect(r.stderr).toContain('AlexNet needs at least 67×67');
  });

  it('refuses an unknown network', () => {
    const r = run('--net', 'lenet5');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--net must be one of lenet, alexnet, vgg11, nin, googlenet, bn_lenet, resnet18, densenet, got 'lenet5'");
  });
});
