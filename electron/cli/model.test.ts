import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { FIXTURES, fixtureIo } from '../model/fixture-paths';

const USAGE = 'usage: npm run -s model -- FILE.onnx [--input INPUT.json|IMAGE --json [--colour grey|rgb|bgr --resize N --crop N --mean a,b,c --std a,b,c]]';

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
      'node        op       output   params  mult-adds  field',
      '/conv/Conv  Conv     1×4×3×3  112     972        3×3 /2',
      '/Relu       Relu     1×4×3×3  0       0          3×3 /2',
      '/Reshape    Reshape  1×36     0       0          -',
      '/fc/Gemm    Gemm     1×5      185     180        -',
      '',
      '4 nodes, 297 parameters in 5 initializers',
      '1,152 multiply-adds a run',
      'ops: Conv, Gemm, Relu, Reshape',
      '',
    ]);
  });

  it('refuses an op ConvLab cannot run by name, and lists a node with two outputs', () => {
    const r = run(fixture('bad', 'unknown_op'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^model: unknown_op\.onnx: node 'features\.3' \(op DeformConv\) is not supported; ConvLab runs: Add, AveragePool, .*Conv, .*Unsqueeze\n$/);
    expect(run(fixture('ops', 'split')).stdout).toMatch(/split {2}Split {2}1×2×4×4, 1×4×4×4 +0 +0 +1×1 \/1/);
  });

  it('runs a model on a JSON input and prints one JSON object with its outputs', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convlab-model-'));
    const model = fixture('nets', 'lenet-opset13');
    const io = fixtureIo(model);
    const input = path.join(folder, 'x.json');
    writeFileSync(input, JSON.stringify({ shape: io.inputs[0].shape, data: io.inputs[0].data }));
    const r = run(model, '--input', input, '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(out.outputs.map((o) => [o.name, o.shape])).toEqual([['y', [1, 10]]]);
    out.outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(io.outputs[0].data[i], 5));
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs a model on a PNG with the preprocessing flags (grey, resize, centre crop, mean, std)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convlab-model-'));
    const image = path.join(folder, 'x.png');
    const png = new PNG({ width: 40, height: 30 });
    for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : (i * 7) % 256;
    writeFileSync(image, PNG.sync.write(png));
    const r = run(fixture('nets', 'lenet-opset13'), '--input', image, '--json', '--colour', 'grey', '--resize', '28', '--crop', '28', '--mean', '0.5', '--std', '0.25');
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { outputs: { shape: number[] }[] }).outputs[0].shape).toEqual([1, 10]);
    const wrong = run(fixture('nets', 'lenet-opset13'), '--input', image, '--json');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe("model: lenet-opset13.onnx: input 'x' is 1×3×30×40; the model takes 1×1×28×28\n");
    rmSync(folder, { recursive: true, force: true });
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
      [[], `model: give one model file, got 0; ${USAGE}`],
      [['--size', '3', 'x.onnx'], `model: Unknown option '--size'; ${USAGE}`],
      [['x.onnx', '--json'], `model: --input and --json go together; ${USAGE}`],
      [['x.onnx', '--input', 'a.json', '--json', '--colour', 'cmyk'], "model: --colour must be grey, rgb or bgr, got 'cmyk'"],
      [['x.onnx', '--input', 'a.json', '--json', '--resize', '0'], "model: --resize must be a whole number from 1 to 4096, got '0'"],
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
