/**
 * `npm run bench -- --nets --growth`: how cost grows with work, as tables. A network's forward against its input
 * side (ResNet-18, 32 → 224, ConvLab beside onnxruntime on one thread); a lab brush stroke's compute against the
 * input side (32 → 256: the lab's three 3×3 convolutions 1→4→8→8, a full pass and the incremental one a dab
 * costs, in this process, without the page's transport and paint); a LeNet epoch against the batch size (one
 * training step's forward and backward, times the steps of an epoch of 60,000 images, on one thread).
 */
import os from 'node:os';
import { createStackCache } from '../../core/lab/incremental-stack';
import { runStack } from '../../core/lab/stack';
import type { LabLayer, MapData } from '../../core/lab/types';
import { buildNetwork } from '../../core/nets/book-nets';
import { lenetSpec } from '../../core/nets/lenet';
import { initParams } from '../../core/nets/params';
import { lossAndGrads, predict } from '../../core/nets/run';
import { uniform } from '../../core/random';
import { ortForward, ortSession, preparePeers } from './bench-nets-peers';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/** Median milliseconds of `fn` over at least 3 calls and about `budgetMs`. */
async function timeIt(fn: () => unknown, budgetMs = 1500): Promise<number> {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 25 && performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

async function forwardBySide(): Promise<void> {
  process.stdout.write('\nResNet-18 forward, batch 1, against the input side (1 thread; ms, and ms per million multiply-adds)\n');
  process.stdout.write('  side  M MACs   convlab ms (per M)   onnxruntime ms (per M)   ratio\n');
  for (const side of [32, 64, 96, 128, 160, 224]) {
    const net = buildNetwork('resnet18', [1, 1, side, side]);
    const params = initParams(net.spec, { seed: 1 });
    const x = { shape: [1, 1, side, side], data: uniform(side * side, 0, 1, 9) };
    const peers = preparePeers(net, params, x.shape, [1], []);
    const session = peers.onnx === null ? null : await ortSession(peers.onnx, 1);
    const ours = await timeIt(() => predict(net.spec, params, x));
    const theirs = session === null ? NaN : await timeIt(() => ortForward(session, x.data, x.shape));
    await session?.release();
    const m = net.macs / 1e6;
    process.stdout.write(`  ${String(side).padStart(4)}  ${m.toFixed(0).padStart(6)}   ${f(ours).padStart(9)} (${(ours / m).toFixed(3)})` +
      `        ${f(theirs).padStart(9)} (${(theirs / m).toFixed(3)})          ${(theirs / ours).toFixed(2)}×\n`);
  }
}

/** The lab's default-sized stack, three 3×3 convolutions 1→4→8→8 padded to keep the size. */
function labStack(): LabLayer[] {
  const conv = (cin: number, cout: number, seed: number): LabLayer => ({
    kind: 'conv', weight: { shape: [cout, cin, 3, 3], data: uniform(cout * cin * 9, -1, 1, seed) }, bias: uniform(cout, -0.5, 0.5, seed + 1),
    stride: [1, 1], padding: [1, 1], dilation: [1, 1], flip: false,
  });
  return [conv(1, 4, 1), conv(4, 8, 3), conv(8, 8, 5)];
}

async function strokeBySide(): Promise<void> {
  process.stdout.write('\nA lab brush stroke\'s compute against the input side (3×3 convolutions 1→4→8→8; full pass, and one 3×3 dab\'s incremental pass)\n');
  process.stdout.write('  side   full pass ms   dab ms\n');
  const layers = labStack();
  for (const side of [32, 64, 128, 256]) {
    const input: MapData = { shape: [1, 1, side, side], data: uniform(side * side, 0, 1, 11) };
    const full = await timeIt(() => runStack(input, layers));
    const cache = createStackCache();
    let state = cache.windows(input, layers, null).state, k = 0;
    const dab = await timeIt(() => {
      // Each dab somewhere else, as a stroke moves: a 3×3 square set to the brush's value.
      const y = 3 + ((k * 7) % (side - 6)), x = 3 + ((k * 13) % (side - 6)), data = input.data;
      k++;
      for (let r = -1; r <= 1; r++) for (let q = -1; q <= 1; q++) data[(y + r) * side + x + q] = k % 2;
      state = cache.windows(input, layers, state).state;
    });
    process.stdout.write(`  ${String(side).padStart(4)}   ${f(full).padStart(12)}   ${f(dab).padStart(6)}\n`);
  }
}

async function epochByBatch(): Promise<void> {
  process.stdout.write('\nLeNet epoch against the batch size (one thread: a training step\'s forward and backward × the steps of 60,000 images)\n');
  process.stdout.write('  batch   step ms   epoch s\n');
  const spec = lenetSpec();
  const params = initParams(spec, { seed: 0, movingVar: 0 });
  for (const batch of [16, 32, 64, 128, 256, 512]) {
    const x = { shape: [batch, 1, 28, 28], data: uniform(batch * 784, 0, 1, 13) };
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const step = await timeIt(() => lossAndGrads(spec, params, x, labels, { mode: 'train' }));
    process.stdout.write(`  ${String(batch).padStart(5)}   ${f(step).padStart(7)}   ${((step * Math.ceil(60000 / batch)) / 1000).toFixed(1).padStart(7)}\n`);
  }
}

/** The three growth tables, with the machine's load. */
export async function benchGrowth(): Promise<void> {
  process.stdout.write(`\nGrowth (load ${os.loadavg()[0].toFixed(1)})\n`);
  await forwardBySide();
  await strokeBySide();
  await epochByBatch();
}
