import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../model/fixture-paths';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'electron/cli/model.ts', ...args], { cwd: root, encoding: 'utf8' });
const fixture = (folder: string, name: string) => path.join(FIXTURES, folder, `${name}.onnx`);

// Debian's PyTorch exports torchvision's ResNet-18 (45 MB) at test time; the repository keeps only small fixtures.
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, onnx'], { encoding: 'utf8' }).status === 0;

describe('npm run -s model', () => {
  it('lists every node with its op and output shape, the shape subgraph folded', () => {
    const r = run(fixture('shapes', 'view_flatten'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'view_flatten.onnx: ONNX opset 13, made by pytorch 1.13.0',
      'inputs: x 1×3×7×7 float32',
      'outputs: y 1×5 float32',
      "note: input 'x': dim 1 is symbolic ('batch') and was fixed to 1",
      'note: 7 nodes of shape arithmetic folded to constants for the input shape 1×3×7×7 (3 Constant, 1 Shape, 1 Gather, 1 Unsqueeze, 1 Concat)',
      '',
      'node        op       output',
      '/conv/Conv  Conv     1×4×3×3',
      '/Relu       Relu     1×4×3×3',
      '/Reshape    Reshape  1×36',
      '/fc/Gemm    Gemm     1×5',
      '',
      '4 nodes, 297 parameters in 5 initializers',
      'ops: Conv, Gemm, Relu, Reshape',
      '',
    ]);
  });

  it('lists a node with an op ConvLab cannot run yet, and a node with two outputs', () => {
    expect(run(fixture('bad', 'unknown_op')).stdout).toContain('features.3  DeformConv  1×2×3×3');
    expect(run(fixture('ops', 'split')).stdout).toContain('split  Split  1×2×4×4, 1×4×4×4');
  });

  it('refuses a bad file in one line naming the problem, exit status 1, no stack trace', () => {
    for (const [name, message] of [
      ['truncated', 'truncated.onnx: the model is truncated: its protobuf ends in the middle of a message'],
      ['cyclic', "cyclic.onnx: the graph has a cycle through node 'add' (op Add); an ONNX graph must be acyclic"],
      ['huge_claim', "huge_claim.onnx: tensor 'w' claims 10 GB (dims 50000×50000); the limit is 537 MB per tensor"],
    ]) {
      const r = run(fixture('bad', name));
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toContain(`model: ${message}`);
    }
    expect(run(path.join(root, 'no-such.onnx')).stderr).toBe("model: no-such.onnx: cannot read '" + path.join(root, 'no-such.onnx') + "': ENOENT\n");
  });

  it('refuses a bad flag or a missing file name in one line', () => {
    for (const [args, message] of [
      [[], 'model: give one model file, got 0; usage: npm run -s model -- FILE.onnx'],
      [['--size', '3', 'x.onnx'], "model: Unknown option '--size'; usage: npm run -s model -- FILE.onnx"],
      [['x.onnx', '--json'], 'model: --json runs the model, and ConvLab cannot run ONNX models yet; usage: npm run -s model -- FILE.onnx'],
    ] as [string[], string][]) {
      const r = run(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${message}\n`);
    }
  });

  it.skipIf(!hasTorch)("lists torchvision's ResNet-18 (45 MB), exported at test time", { timeout: 180_000 }, async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convlab-resnet18-'));
    const made = spawnSync(PYTHON, [path.join(FIXTURES, 'make-onnx-fixtures.py'), '--torchvision', 'resnet18', '--out', folder], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const file = path.join(folder, 'resnet18.onnx');
    const { openModel } = await import('../model/read-onnx');
    const { foldShapes } = await import('../model/fold-shapes');
    const { listingText, modelListing } = await import('../model/model-listing');
    const start = performance.now();
    const text = listingText(modelListing('resnet18.onnx', foldShapes(await openModel(file))));
    const ms = performance.now() - start;
    console.log(`ResNet-18 (45 MB) read, folded and listed in ${ms.toFixed(0)} ms`);
    expect(text).toMatch(/\/avgpool\/GlobalAveragePool\s+GlobalAveragePool\s+1×512×1×1/);
    expect(text).toMatch(/\/fc\/Gemm\s+Gemm\s+1×1000/);
    expect(text).toContain('49 nodes, 11,684,712 parameters in 42 initializers');
    expect(ms).toBeLessThan(2000);
    const r = run(file);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${text}\n`);
    rmSync(folder, { recursive: true, force: true });
  });
});
if (!hasTorch) console.log(`skipped: the ResNet-18 listing needs ${PYTHON} with torch, torchvision and onnx (apt install python3-torch python3-torchvision python3-onnx)`);
