/**
 * `npm run bench -- --nets [--only alexnet,vgg11] [--pairs N] [--big] [--growth]`: every book network at the size
 * the book trains it at, one forward pass of a batch of 1 (and of 32 where that fits the bench's time: `--big` for
 * all), ConvLab as the app runs it (core/nets/run.ts predict) beside onnxruntime-node on the same network with the
 * same weights, on 1 and 2 threads, calls taken in turn so the machine's load falls on both alike; PyTorch's time
 * beside them where /usr/bin/python3 has torch. Prints ConvLab's slowest layers, a sanity line (ConvLab's output
 * against onnxruntime's) and one summary line per network, batch and thread count.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { BOOK_NETS, buildNetwork, NET_IDS, type NetId } from '../../core/nets/book-nets';
import type { Params } from '../../core/nets/model';
import type { Network } from '../../core/nets/network';
import { initParams } from '../../core/nets/params';
import { predict } from '../../core/nets/run';
import { uniform } from '../../core/random';
import type { Tensor } from '../../core/tensor';
import { benchGrowth } from './bench-growth';
import type { HalfData } from './bench-nets-half';
import { ortForward, ortSession, preparePeers, type Peers } from './bench-nets-peers';
import { layerTimes, slowestLines } from './bench-nets-layers';

const SEED = 1;
/** Batch 32 only where its ConvLab pass stays short on this engine (multiply-adds of one image, at most). */
const BATCH32_MACS = 1e8;
/** Relative difference (largest |ConvLab − onnxruntime| ÷ largest |onnxruntime|) the sanity line accepts. */
const AGREE = 1e-4;

/** Milliseconds of a call, wall clock. */
async function wall(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

export function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** ConvLab's forward on `threads` threads: this one alone, or this one and a worker taking half the batch each. */
function convlabRunner(id: NetId, net: Network, params: Params, x: Tensor, threads: number): { run: () => Promise<Float32Array>; close: () => Promise<void> } {
  const n = x.shape[0];
  if (threads === 1 || n === 1) return { run: async () => predict(net.spec, params, x).data, close: async () => {} };
  const side = x.shape[2], per = x.data.length / n, mine = n >> 1;
  const worker = new Worker(new URL('./bench-nets-half.ts', import.meta.url), { execArgv: ['--import', 'tsx'], workerData: { id, side, seed: SEED } satisfies HalfData });
  const head: Tensor = { shape: [mine, ...x.shape.slice(1)], data: x.data.subarray(0, mine * per) };
  const tail = { shape: [n - mine, ...x.shape.slice(1)], data: x.data.slice(mine * per) };
  return {
    run: async () => {
      const other = new Promise<Float32Array>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      worker.postMessage(tail);
      const a = predict(net.spec, params, head).data, b = await other;
      const out = new Float32Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    },
    close: async () => void (await worker.terminate()),
  };
}

/** Largest |a − b| over the largest |b|. */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1e-30);
}

interface Summary { id: NetId; batch: number; threads: number; convlab: number; ort: number | null; torch: number | null }

/** One network: its slowest layers, the sanity line, then ConvLab against onnxruntime per batch and thread count. */
async function benchNet(id: NetId, pairs: number, big: boolean, out: Summary[]): Promise<void> {
  const side = BOOK_NETS[id].trainSide;
  const net = buildNetwork(id, [1, 1, side, side]);
  const params = initParams(net.spec, { seed: SEED });
  const batches = big || net.macs <= BATCH32_MACS ? [1, 32] : [1];
  process.stdout.write(`\n${net.title} at ${side}×${side} (${(net.macs / 1e6).toFixed(1)} M multiply-adds an image)` +
    `${batches.length === 1 ? '; batch 32 not run: over the bench\'s time (--big runs it)' : ''}\n`);
  const peers: Peers = preparePeers(net, params, [1, 1, side, side], batches, [1, 2]);
  if (peers.missing !== null) process.stdout.write(`  ${peers.missing}\n`);
  const x1: Tensor = { shape: [1, 1, side, side], data: uniform(side * side, 0, 1, 7) };
  process.stdout.write(slowestLines(net, layerTimes(net, params, x1, 3), 6));
  const sessions = peers.onnx === null ? null : await Promise.all([1, 2].map((t) => ortSession(peers.onnx!, t)));
  if (sessions !== null) {
    const diff = relativeDifference(predict(net.spec, params, x1).data, await ortForward(sessions[0], x1.data, x1.shape));
    process.stdout.write(`  ConvLab vs onnxruntime, batch 1: largest difference ${diff.toExponential(2)} of the output's largest value ` +
      `(${diff <= AGREE ? 'agree' : 'DISAGREE'} within ${AGREE})\n`);
  }
  for (const batch of batches) {
    const x: Tensor = { shape: [batch, 1, side, side], data: uniform(batch * side * side, 0, 1, 8) };
    for (const threads of [1, 2]) {
      const convlab = convlabRunner(id, net, params, x, threads);
      const session = sessions?.[threads - 1] ?? null;
      try {
        // Warm-up: the JIT, the kernels' first compilation and the worker's first pass.
        for (let warm = 0; warm < 3; warm++) {
          await convlab.run();
          if (session) await ortForward(session, x.data, x.shape);
        }
        const ours: number[] = [], theirs: number[] = [];
        const start = performance.now();
        // In turn, so a burst of other work on the machine falls on both of a pair alike.
        while (ours.length < 3 || (ours.length < pairs && performance.now() - start < 4000)) {
          ours.push(await wall(convlab.run));
          if (session) theirs.push(await wall(() => ortForward(session, x.data, x.shape)));
        }
        out.push({ id, batch, threads, convlab: median(ours), ort: session ? median(theirs) : null, torch: peers.torch?.[threads]?.[batch] ?? null });
        const s = out[out.length - 1];
        process.stdout.write(`${summaryLine(s)}${s.torch === null ? '' : `; pytorch ${fmtMs(s.torch)} ms`} (${ours.length} pairs)\n`);
      } finally {
        await convlab.close();
      }
    }
  }
  if (sessions) await Promise.all(sessions.map((s) => s.release()));
}

/** The issue's line: `NAME batch B threads T: convlab X ms, onnxruntime Y ms, ratio R×` (R = onnxruntime ÷ ConvLab). */
function summaryLine(s: Summary): string {
  const ort = s.ort === null ? 'n/a' : `${fmtMs(s.ort)} ms`, ratio = s.ort === null ? 'n/a' : `${(s.ort / s.convlab).toFixed(2)}×`;
  return `${s.id} batch ${s.batch} threads ${s.threads}: convlab ${fmtMs(s.convlab)} ms, onnxruntime ${ort}, ratio ${ratio}`;
}

/** `--nets`: every book network (or `--only`'s), then the summary lines together, then `--growth`'s tables. */
export async function benchNets(args: string[]): Promise<void> {
  const at = args.indexOf('--only'), p = args.indexOf('--pairs');
  const ids = at >= 0 ? (args[at + 1] ?? '').split(',') as NetId[] : [...NET_IDS];
  for (const id of ids) if (!NET_IDS.includes(id)) throw new Error(`--only takes networks among ${NET_IDS.join(', ')}, got '${id}'`);
  const pairs = p >= 0 ? Math.max(3, Number(args[p + 1]) || 9) : 9;
  process.stdout.write(`Book networks' forward, ConvLab (WebAssembly SIMD, as the app runs it) beside onnxruntime-node 1.30 (MLAS; ` +
    `intra-op threads = T, inter-op 1) on the same network and weights — ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ` +
    `load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians of calls taken in turn. ConvLab on 2 threads splits a batch ` +
    `in halves over this thread and a worker; a batch of 1 runs on one thread (its second thread idle).\n`);
  const rows: Summary[] = [];
  for (const id of ids) await benchNet(id, pairs, args.includes('--big'), rows);
  process.stdout.write(`\nSummary (load ${os.loadavg()[0].toFixed(1)} at the end; ratios are what count on a shared machine, re-measure on a quiet one)\n`);
  for (const s of rows) process.stdout.write(`${summaryLine(s)}\n`);
  if (args.includes('--growth')) await benchGrowth();
}
