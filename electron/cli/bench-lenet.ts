/**
 * `npm run bench -- --lenet [--data DIR]`: one epoch of the book's LeNet (60,000 training images in batches of 256,
 * then the 10,000 test images) through ConvLab's engine, and the same epoch in PyTorch on one and on two threads
 * when /usr/bin/python3 has torch. Prints each wall time (and CPU time: on a busy machine it is the steadier
 * figure) and ConvLab's ratio to PyTorch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOOK_SETTINGS, runTraining, Training } from '../../core/nets/train';
import { DEFAULT_DATA_DIR, loadFashionMnist } from './fashion-mnist';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-lenet.py');

/** Wall and CPU seconds of one ConvLab epoch, and its test accuracy. */
async function convlabEpoch(dataDir: string): Promise<{ seconds: number; cpu: number; testAcc: number; rssMiB: number }> {
  const { train, test } = await loadFashionMnist(dataDir);
  const training = new Training({ ...BOOK_SETTINGS.lenet, epochs: 1 }, train, test, () => performance.now());
  const c0 = process.cpuUsage(), t0 = performance.now();
  const outcome = await runTraining(training);
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, testAcc: outcome.epochs[0].testAcc, rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

/** Seconds of the same epoch in PyTorch on `threads` threads, or why it could not run. */
function torchEpoch(dataDir: string, threads: number): { seconds: number; cpu: number; testAcc: number } | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, [SCRIPT, dataDir, String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; cpu: number; test_acc: number };
  return { seconds: out.seconds, cpu: out.cpu, testAcc: out.test_acc };
}

export async function benchLenet(args: string[]): Promise<void> {
  const at = args.indexOf('--data');
  const dataDir = at >= 0 && args[at + 1] !== undefined ? args[at + 1] : DEFAULT_DATA_DIR;
  const ours = await convlabEpoch(dataDir);
  process.stdout.write(`LeNet, one epoch (60,000 + 10,000 test images, batch 256)\n`);
  process.stdout.write(`  ConvLab           ${ours.seconds.toFixed(1).padStart(6)} s  (CPU ${ours.cpu.toFixed(1)} s, test acc ${ours.testAcc.toFixed(3)}, resident ${ours.rssMiB.toFixed(0)} MiB)\n`);
  for (const threads of [1, 2]) {
    const t = torchEpoch(dataDir, threads);
    if (typeof t === 'string') {
      process.stdout.write(`  PyTorch ${threads} thread${threads === 1 ? ' ' : 's'}  not run: ${t}\n`);
      continue;
    }
    process.stdout.write(`  PyTorch ${threads} thread${threads === 1 ? ' ' : 's'} ${t.seconds.toFixed(1).padStart(6)} s  (CPU ${t.cpu.toFixed(1)} s, test acc ${t.testAcc.toFixed(3)})  ` +
      `ConvLab takes ${(ours.seconds / t.seconds).toFixed(2)}× the time, ${(ours.cpu / t.cpu).toFixed(2)}× the CPU\n`);
  }
}
