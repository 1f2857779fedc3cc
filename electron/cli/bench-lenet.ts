/**
 * `npm run bench -- --lenet [--net bn_lenet] [--data DIR] [--repeat N]`: one epoch of the book's LeNet (60,000 training images in
 * batches of 256, then the 10,000 test images) as the app trains it — through the engine pool, on one worker and
 * on two (each batch split between them, parallel-training.ts) — and the same epoch in PyTorch on one and on two
 * threads when /usr/bin/python3 has torch. Prints each wall time (and CPU time: on a busy machine it is the
 * steadier figure), the two-worker speed-up, and ConvLab's ratio to PyTorch. The app's epoch includes what the
 * LeNet tab is sent (filters every 10 batches, the test set's confusion matrix), so it is a little more work than
 * PyTorch's loop. With --repeat each figure is the median of N runs. `--net bn_lenet` (or its former id bn-lenet) times 5.10's LeNet with batch
 * norm instead (its split batches exchange batch norm's sums at barriers: batch-stats-barrier.ts); `--net resnet18`,
 * `nin` or `googlenet` the scaled-down network at its default divisor, side, batch and learning rate (PyTorch builds
 * it from the same blocks with torch_nets_v1.py; NiN's dropout keeps ConvLab's run on one worker).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { bookNetSettings, type NetSettings } from '../contract/net-contract';
import { createEnginePool } from '../engine/engine-pool';
import { DEFAULT_DATA_DIR } from './fashion-mnist';
import { bookBlocks } from '../../core/nets/book-nets';
import { BOOK_SETTINGS, NET_TITLES, SCALED_NETS, TRAINABLE_NETS, trainableNetId, type TrainableNet } from '../../core/nets/catalogue';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-lenet.py');

/** Pure arithmetic (no memory traffic), `iters` steps: the control a split is compared with. */
const ARITHMETIC = 'function arithmetic(iters) { let x = 0; for (let i = 0; i < iters; i++) x = (x * 1103515245 + 12345) | 0; return x; }';

/**
 * The speed-up two threads can have on this machine now: pure arithmetic split over this thread and a worker
 * against this thread alone, pairs in turn, the median ratio. Near 2 on an idle machine; what other sessions
 * leave, otherwise. Printed beside the benches' speed-ups so they can be read against the machine's ceiling.
 */
export async function controlSpeedup(pairs = 5, iters = 4e7): Promise<number> {
  const run = new Function(`${ARITHMETIC}; return arithmetic;`)() as (n: number) => number;
  const worker = new Worker(`${ARITHMETIC}; require('node:worker_threads').parentPort.on('message', (n) => ` +
    `require('node:worker_threads').parentPort.postMessage(arithmetic(n)));`, { eval: true });
  const onWorker = (n: number) => new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.postMessage(n);
  });
  try {
    run(iters / 10);
    await onWorker(iters / 10);
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      let t0 = performance.now();
      run(iters);
      const one = performance.now() - t0;
      t0 = performance.now();
      const other = onWorker(iters / 2);
      run(iters / 2);
      await other;
      ratios.push(one / (performance.now() - t0));
    }
    return ratios.sort((a, b) => a - b)[pairs >> 1];
  } finally {
    await worker.terminate();
  }
}

/**
 * The control's line. Linux (autogroup scheduling, on by default) shares the CPU between sessions, not threads:
 * while another session computes, a second thread of this process gets little more CPU than the first, whatever
 * the code, so a split's speed-up is to be read against this ceiling.
 */
export function controlLine(before: number, after: number): string {
  return `  control: pure arithmetic split over 2 threads runs ${before.toFixed(2)}× (before) and ${after.toFixed(2)}× (after) ` +
    'as fast as on 1: the most a split gets on this machine now (Linux shares the CPU between sessions, not threads; ' +
    'near 2× only when no other session computes)\n';
}

interface EpochTime {
  seconds: number; cpu: number; testAcc: number;
  /** CPU seconds of the busiest threads (the engine workers), busiest first, where Linux's /proc tells them. */
  threads: number[];
}

/** CPU seconds (user + system) of each thread of this process by id, from /proc (empty where there is none). */
export function threadSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}

/** Linux's USER_HZ, the unit of /proc's CPU times (100 on every mainstream architecture). */
const CLOCK_TICKS = 100;

/** The two busiest threads' CPU seconds between `before` and now. */
export function busiest(before: Map<string, number>): number[] {
  return [...threadSeconds()].map(([tid, s]) => s - (before.get(tid) ?? 0)).sort((a, b) => b - a).slice(0, 2);
}

/**
 * Wall and CPU seconds (every thread of this process) of one epoch on an engine pool of `workers`, from the run's
 * first event (the dataset read, the workers started) to its epoch event (test accuracy and confusion included).
 */
async function convlabEpoch(dataDir: string, workers: number, net: BenchNet): Promise<EpochTime> {
  const pool = createEnginePool(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], size: workers });
  try {
    let t0 = 0, c0 = process.cpuUsage(), threads0 = new Map<string, number>();
    return await new Promise<EpochTime>((resolve, reject) => {
      pool.netTrainingStart({ settings: { ...bookNetSettings(net), epochs: 1 } }, dataDir, (event) => {
        if (event.kind === 'filters' && t0 === 0) {
          t0 = performance.now();
          c0 = process.cpuUsage();
          threads0 = threadSeconds();
        } else if (event.kind === 'epoch') {
          const c = process.cpuUsage(c0);
          resolve({ seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, testAcc: event.testAcc, threads: busiest(threads0) });
        } else if (event.kind === 'error' || event.kind === 'diverged') reject(new Error(event.message));
      }).catch(reject);
    });
  } finally {
    await pool.close();
  }
}

/** The run with the median wall time. */
function median<T extends { seconds: number }>(all: T[]): T | null {
  return all.length === 0 ? null : [...all].sort((a, b) => a.seconds - b.seconds)[all.length >> 1];
}

/**
 * The script's arguments for `net`: the LeNets by name; a scaled-down network as its blocks (at the default divisor),
 * side and settings in a JSON file, which torch_nets_v1.py builds block by block.
 */
function torchArgs(net: BenchNet): string[] {
  if (net === 'lenet' || net === 'bn_lenet') return [net];
  const scaled = SCALED_NETS[net], settings = BOOK_SETTINGS[net];
  const spec = { blocks: bookBlocks(scaled.id, { divisor: settings.divisor ?? scaled.divisor }).map((b) => b.block), side: scaled.side,
    lr: settings.lr, batch: settings.batchSize };
  const file = path.join(os.tmpdir(), `convlab-bench-${net}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return ['scaled', file];
}

/** Seconds of the same epoch in PyTorch on `threads` threads, or why it could not run. */
function torchEpoch(dataDir: string, threads: number, net: BenchNet): EpochTime | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, [SCRIPT, dataDir, String(threads), ...torchArgs(net)], { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; cpu: number; test_acc: number };
  return { seconds: out.seconds, cpu: out.cpu, testAcc: out.test_acc, threads: [] };
}

/** The nets this bench times: every trainable one, the book's LeNets (5.5, 5.10) and the scaled-down larger ones. */
const BENCH_NETS = TRAINABLE_NETS;
type BenchNet = TrainableNet & NetSettings['net'];
const title = (net: BenchNet): string => (Object.hasOwn(SCALED_NETS, net) ? `${NET_TITLES[net]} (widths ÷ ${BOOK_SETTINGS[net].divisor ?? SCALED_NETS[net as keyof typeof SCALED_NETS].divisor})` : NET_TITLES[net]);

export async function benchLenet(args: string[]): Promise<void> {
  const n = args.indexOf('--net');
  const net = trainableNetId(n >= 0 ? args[n + 1] ?? '' : 'lenet') as BenchNet;
  if (!(BENCH_NETS as readonly string[]).includes(net)) throw new Error(`--net must be one of ${BENCH_NETS.join(', ')}, got '${args[n + 1] ?? ''}'`);
  const at = args.indexOf('--data');
  const dataDir = at >= 0 && args[at + 1] !== undefined ? args[at + 1] : DEFAULT_DATA_DIR;
  const r = args.indexOf('--repeat');
  const runs = r >= 0 ? Math.max(1, Number(args[r + 1]) || 1) : 1;
  const cores = os.availableParallelism();
  const line = (label: string, t: EpochTime, extra = '') =>
    process.stdout.write(`  ${label.padEnd(19)}${t.seconds.toFixed(1).padStart(6)} s  (CPU ${t.cpu.toFixed(1)} s, test acc ${t.testAcc.toFixed(3)})${extra}\n`);
  const load = () => os.loadavg()[0].toFixed(1);
  const controlBefore = await controlSpeedup();
  process.stdout.write(`${title(net)}, one epoch (60,000 + 10,000 test images, batch ${BOOK_SETTINGS[net].batchSize}) — ${cores} cores, load ${load()} at the start` +
    `${runs > 1 ? `, median of ${runs} runs taken in turn` : ''}\n`);
  // Taken in turn (1 worker, 2 workers, PyTorch 1 and 2 threads, again …), so a change in the machine's load
  // falls on every figure alike rather than on one of them.
  const one: EpochTime[] = [], two: EpochTime[] = [], torch: EpochTime[][] = [[], []];
  let torchMissing: string | null = null;
  for (let i = 0; i < runs; i++) {
    one.push(await convlabEpoch(dataDir, 1, net));
    if (cores >= 2) two.push(await convlabEpoch(dataDir, 2, net));
    for (const threads of [1, 2]) {
      if (torchMissing !== null) break;
      const t = torchEpoch(dataDir, threads, net);
      if (typeof t === 'string') torchMissing = t;
      else torch[threads - 1].push(t);
    }
  }
  const o = median(one)!, w = median(two);
  line('ConvLab 1 worker', o);
  if (w === null) process.stdout.write('  ConvLab 2 workers  not run: this machine has one core\n');
  else line('ConvLab 2 workers', w, `  speed-up ${(o.seconds / w.seconds).toFixed(2)}× over 1 worker (CPU ${(w.cpu / o.cpu).toFixed(2)}×)`);
  if (w !== null && w.threads.length === 2 && o.threads.length > 0) {
    // Per-thread CPU does not depend on what else the machine runs: the split's balance and its extra work.
    process.stdout.write(`    CPU by thread: 1 worker ${o.threads[0].toFixed(1)} s; 2 workers ${w.threads[0].toFixed(1)} s + ${w.threads[1].toFixed(1)} s ` +
      `(busier thread ${(o.threads[0] / w.threads[0]).toFixed(2)}× less than one worker's: the speed-up an idle machine allows, ` +
      'less what two busy cores lose to each other)\n');
  }
  const ours = [{ name: '1 worker', t: o }, ...(w ? [{ name: '2 workers', t: w }] : [])];
  for (const threads of [1, 2]) {
    const t = median(torch[threads - 1]);
    if (t === null) {
      process.stdout.write(`  PyTorch ${threads} thread${threads === 1 ? ' ' : 's'}  not run: ${torchMissing}\n`);
      continue;
    }
    line(`PyTorch ${threads} thread${threads === 1 ? '' : 's'}`, t);
    for (const c of ours) {
      process.stdout.write(`    ConvLab ${c.name.padEnd(9)} takes ${(c.t.seconds / t.seconds).toFixed(2)}× its time, ${(c.t.cpu / t.cpu).toFixed(2)}× its CPU\n`);
    }
  }
  process.stdout.write(controlLine(controlBefore, await controlSpeedup()));
  process.stdout.write(`  load ${load()} at the end; every run: ConvLab 1 worker ${one.map((e) => e.seconds.toFixed(1)).join(', ')} s; ` +
    `2 workers ${two.map((e) => e.seconds.toFixed(1)).join(', ')} s; PyTorch 1 thread ${torch[0].map((e) => e.seconds.toFixed(1)).join(', ')} s; ` +
    `2 threads ${torch[1].map((e) => e.seconds.toFixed(1)).join(', ')} s\n`);
}
