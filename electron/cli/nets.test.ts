import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../model/read-onnx';

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

  it('exports a network at a size as ONNX and as a PyTorch script, one line per file', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convlab-nets-export-'));
    try {
      const onnx = path.join(folder, 'nin.onnx'), py = path.join(folder, 'nin.py');
      const r = run('--net', 'nin', '--size', '67', '--divisor', '8', '--export-onnx', onnx, '--export-pytorch', py);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(2);
      expect(r.stdout).toMatch(/^wrote .*nin\.onnx: NiN at 1×1×67×67, [\d,]+ parameters/m);
      const model = parseModel(readFileSync(onnx));
      expect(model.opset).toBe(13);
      expect(model.outputs[0].shape?.slice(1)).toEqual([10]);
      expect(readFileSync(py, 'utf8')).toContain('def build_net():');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a bad flag or an unwritable file in one line, exit status 1', () => {
    for (const args of [['--net', 'lenet', '--export-onnx'], ['--net', 'lenet', '--export-pytorch', '/nonexistent-folder/x.py'], ['--net', 'lenet', '--bogus']]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
