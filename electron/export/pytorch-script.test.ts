// The PyTorch script of every trainable network, given ConvLab's weights and a first batch, computes ConvLab's first
// loss within 1e-4 (training mode: batch norm on the batch's statistics; dropout off on both sides, its masks being
// each framework's own). Its training loop runs under torchrun on two CPU processes on a tiny IDX dataset.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../core/layers/table';
import { BOOK_SETTINGS, TRAINABLE_NETS, trainingNet } from '../../core/nets/catalogue';
import type { NetSpec } from '../../core/nets/model';
import { initParams } from '../../core/nets/params';
import { lossAndGrads } from '../../core/nets/run';
import { mulberry32 } from '../../core/random';
import { kindOf } from '../../core/layers/table';
import { pytorchScript, torchKey } from './pytorch-script';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`skipped: running the exported PyTorch scripts needs ${PYTHON} with torch (apt install python3-torch)`);
const folder = mkdtempSync(join(tmpdir(), 'convlab-pytorch-out-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
// Debian's torch 1.13 launcher fails on Python 3.11 unless its output flags name a single stream.
const TORCHRUN_OUTPUT = ['--redirects', '2', '--tee', '2'];
const ENV = { ...process.env, OMP_NUM_THREADS: '1' };

/** The spec with every dropout's rate 0, nested lists included. */
function withoutDropout(spec: NetSpec): LayerSpec[] {
  return spec.map((l) => {
    if (l.type === 'dropout') return { ...l, rate: 0 };
    const kind = kindOf(l);
    if (!kind.container) return l;
    if (l.type === 'residual') return { ...l, body: withoutDropout(l.body), shortcut: withoutDropout(l.shortcut) };
    if (l.type === 'concat') return { ...l, branches: l.branches.map(withoutDropout) };
    return l;
  });
}

describe('the exported PyTorch script', () => {
  it('names modules by ConvLab\'s paths with PyTorch\'s role names', () => {
    expect(torchKey('1.gamma')).toBe('1.weight');
    expect(torchKey('3.body.1.moving_var')).toBe('3.body.1.running_var');
    const net = trainingNet(BOOK_SETTINGS.bn_lenet);
    const script = pytorchScript({ title: 'BN-LeNet', spec: net.spec, params: initParams(net.spec, { seed: 0 }), input: [1, 1, 28, 28], settings: { lr: 1, batch: 256, epochs: 5 } });
    expect(script).toContain('("1.running_var", [6]),  # ConvLab\'s 1.moving_var');
    expect(script).toContain('nn.BatchNorm2d(6, eps=0.00001, momentum=0.1)');
    expect(script).not.toContain('undefined');
  });

  for (const id of TRAINABLE_NETS) {
    it.skipIf(!hasTorch)(`${id}: PyTorch's first loss is ConvLab's within 1e-4`, () => {
      const settings = BOOK_SETTINGS[id];
      const net = trainingNet(settings);
      const params = initParams(net.spec, { seed: 5, movingVar: net.movingVar });
      const next = mulberry32(9);
      const n = 8, input = [n, 1, net.side, net.side];
      const x = { shape: input, data: Float32Array.from({ length: n * net.side * net.side }, () => next()) };
      const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
      const want = lossAndGrads(withoutDropout(net.spec), params, x, labels, { mode: 'train', forwardOnly: true, updateMovingStats: false }).loss;
      const script = join(folder, `${id}.py`), batch = join(folder, `${id}.json`);
      writeFileSync(script, pytorchScript({ title: id, spec: net.spec, params, input, settings: { lr: settings.lr, batch: settings.batchSize, epochs: 1 } }));
      writeFileSync(batch, JSON.stringify({ x: { shape: input, data: Array.from(x.data) }, labels: Array.from(labels) }));
      const run = spawnSync(PYTHON, [script, '--check', batch], { encoding: 'utf8', env: ENV });
      expect(run.status, run.stderr).toBe(0);
      const got = Number(/first loss (\S+)/.exec(run.stdout)?.[1]);
      expect(Math.abs(got - want), `PyTorch ${got}, ConvLab ${want}`).toBeLessThanOrEqual(1e-4);
    }, 60_000);
  }

  /** An IDX file of bytes: magic, dims, values. */
  function idx(dims: number[], values: Uint8Array): Buffer {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt16BE(0, 0);
    head.writeUInt8(8, 2);
    head.writeUInt8(dims.length, 3);
    dims.forEach((d, k) => head.writeUInt32BE(d, 4 + 4 * k));
    return gzipSync(Buffer.concat([head, values]));
  }

  it.skipIf(!hasTorch)('trains LeNet for an epoch under torchrun --nproc_per_node 2 (gloo) and prints the book\'s line once', () => {
    const data = join(folder, 'idx');
    rmSync(data, { recursive: true, force: true });
    const next = mulberry32(3);
    const count = 64;
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const images = Uint8Array.from({ length: count * 784 }, () => Math.floor(256 * next()));
    spawnSync('mkdir', ['-p', data]);
    for (const set of ['train', 't10k']) {
      writeFileSync(join(data, `${set}-images-idx3-ubyte.gz`), idx([count, 28, 28], images));
      writeFileSync(join(data, `${set}-labels-idx1-ubyte.gz`), idx([count], labels));
    }
    const net = trainingNet(BOOK_SETTINGS.lenet);
    const script = join(folder, 'lenet-ddp.py');
    writeFileSync(script, pytorchScript({ title: 'LeNet', spec: net.spec, params: initParams(net.spec, { seed: 0 }), input: [1, 1, 28, 28], settings: { lr: 0.9, batch: 16, epochs: 1 } }));
    const torchrun = spawnSync(PYTHON, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', ...TORCHRUN_OUTPUT, script, '--data', data], { encoding: 'utf8', env: ENV, timeout: 90_000 });
    expect(torchrun.status, torchrun.stderr).toBe(0);
    expect(torchrun.stdout.match(/^epoch 1, loss [\d.]+, train acc [\d.]+, test acc [\d.]+, time [\d.]+ sec$/gm)).toHaveLength(1);
  }, 120_000);
});
