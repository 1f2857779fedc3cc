// `npm run -s train`: BN-LeNet trained in a pool of two engine workers (--workers 2, each batch split between them
// where the machine has two cores) prints the epoch lines training on this thread prints, but for the time taken.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomDataset } from '../training/random-dataset.test-helper';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'electron/cli/train.ts', ...args],
  { cwd: root, encoding: 'utf8' });

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 200, test: 50 });
});

/** The epoch lines without their time. */
const figures = (stdout: string) => stdout.trim().split('\n').map((l) => l.replace(/, time [\d.]+ sec$/, ''));

describe('npm run -s train -- --workers N', () => {
  it('trains BN-LeNet on two engine workers to the lines one thread prints', () => {
    // Average pooling: max pooling's choice between two equal saturated values flips on float rounding.
    const args = ['--net', 'bn-lenet', '--pooling', 'avg', '--epochs', '2', '--batch', '64', '--data', folder];
    const alone = run(...args), pooled = run(...args, '--workers', '2');
    expect(alone.stderr).toBe('');
    expect(pooled.stderr).toBe('');
    expect([alone.status, pooled.status]).toEqual([0, 0]);
    expect(figures(pooled.stdout)).toHaveLength(2);
    expect(figures(pooled.stdout)[0]).toMatch(/^epoch 1, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$/);
    expect(figures(pooled.stdout)).toEqual(figures(alone.stdout));
  }, 60_000);

  it('refuses a worker count that is not a whole number of at least 1, training nothing', () => {
    const r = run('--net', 'bn-lenet', '--workers', '0', '--data', folder);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("train: --workers must be a whole number of at least 1, got '0'\n");
  });

  it('refuses a run above the training budget at once with its figure and the limit (it printed nothing for 2 minutes)', () => {
    const r = run('--net', 'googlenet', '--divisor', '1', '--batch', '1024', '--data', folder);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^train: GoogLeNet ÷1 at batch 1024 needs 88\.\d billion multiply-adds per training step; the limit is 30\.0 billion \(use a smaller batch or a larger width divisor\)\n$/);
  });

  it('refuses an empty --data and --channels that are not two whole numbers, one line each', () => {
    const empty = run('--net', 'lenet', '--data', '');
    expect([empty.status, empty.stdout, empty.stderr]).toEqual([1, '', 'train: --data must name a folder, got an empty one\n']);
    for (const text of ['a,b', '6', '6,16,1', '6,', '6.5,16']) {
      const r = run('--net', 'lenet', '--channels', text, '--data', folder);
      expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `train: --channels must be two whole numbers C1,C2 (such as 6,16), got '${text}'\n`]);
    }
  });
});
