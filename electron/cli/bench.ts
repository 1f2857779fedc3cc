/**
 * `npm run bench -- --lenet`: one LeNet epoch against PyTorch (bench-lenet.ts). `--nets`: the book's networks' forward
 * beside onnxruntime and PyTorch (bench-nets.ts).
 * `npm run bench`: times ConvLab's conv2d forward, input gradient and weight gradient on shapes S1–S5 beside
 * TensorFlow.js 4.22's CPU and WebAssembly backends (median after warm-up). `--json` prints one object per line,
 * `--quick` times ConvLab alone with short budgets, `--only S3,S5` picks shapes, `--ts` times ConvLab's
 * TypeScript kernels instead of its WebAssembly ones. Each call is timed on the wall clock and in CPU time: on a
 * machine other work shares, CPU time is the figure that measures the kernel, so GFLOP/s are worked out from it.
 * TF.js CPU's passes on the batched S5 would take minutes: they are timed on one image and scaled by the batch.
 * `--workers N` instead times ConvLab's batched shapes (S4a, S4b, S5) split over a team of N threads (this one and
 * N − 1 workers claiming chunks of the batch, batch-team.ts) against a team of one (the plain call on this
 * thread), wall clock, and prints the speed-up.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import { benchLenet, busiest, controlLine, controlSpeedup, threadSeconds } from './bench-lenet';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../core/ops/conv2d';
import { recycling } from '../../core/ops/floats';
import { setKernelPath } from '../../core/ops/wasm/kernels';
import { createBatchTeam, shareConv } from './batch-team';
import { uniform } from '../../core/random';
import type { Tensor } from '../../core/tensor';

interface Shape { name: string; n: number; cin: number; h: number; w: number; cout: number; k: [number, number]; pad: number }
const SHAPES: Shape[] = [
  { name: 'S1', n: 1, cin: 1, h: 6, w: 8, cout: 1, k: [1, 2], pad: 0 },
  { name: 'S2', n: 1, cin: 1, h: 256, w: 256, cout: 1, k: [3, 3], pad: 1 },
  { name: 'S3', n: 1, cin: 8, h: 128, w: 128, cout: 16, k: [3, 3], pad: 1 },
  { name: 'S4a', n: 64, cin: 1, h: 28, w: 28, cout: 6, k: [5, 5], pad: 2 },
  { name: 'S4b', n: 64, cin: 6, h: 14, w: 14, cout: 16, k: [5, 5], pad: 0 },
  { name: 'S5', n: 16, cin: 32, h: 64, w: 64, cout: 64, k: [3, 3], pad: 1 },
];
const PASSES = ['forward', 'input-grad', 'weight-grad'] as const;
type Pass = (typeof PASSES)[number];
/**
 * 'convlab-step' is ConvLab's pass as a training step calls it: inside recycling (core/ops/floats.ts), so its result
 * reuses the memory of the step before rather than a fresh array. A fresh result of a megabyte costs page faults
 * and the garbage collector more than the kernel itself on S4a (measured: 0.64–1.15 ms a plain call against 0.47 ms
 * recycled), so both are shown: the plain call is what one lab request costs, the step what training pays.
 */
const ENGINES = ['convlab', 'convlab-step', 'tfjs-cpu', 'tfjs-wasm'] as const;
type Engine = (typeof ENGINES)[number];

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const kernels = setKernelPath(args.includes('--ts') ? 'ts' : 'wasm');
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1] ?? '').split(',') : null;

/** Milliseconds of samples per measurement, the most samples, and the call time above which one call is the measurement. */
const BUDGET_MS = quick ? 300 : 1500;
const MAX_SAMPLES = quick ? 7 : 15;
const ONCE_MS = 1500;
const WARMUP_MS = quick ? 200 : 400;

/**
 * Median milliseconds per call of `fn`. A call slower than ONCE_MS is timed once (TF.js CPU's weight gradient on
 * S5 takes minutes); otherwise a warm-up long enough for the JIT to settle, then samples of ≥ 5 ms each.
 */
function measure(fn: () => void): { ms: number; cpuMs: number; samples: number } {
  let t0 = performance.now(), c0 = process.cpuUsage();
  fn();
  const first = performance.now() - t0;
  if (first > ONCE_MS) return { ms: first, cpuMs: cpuSince(c0), samples: 1 };
  let calls = 1, per = first;
  const warmStart = performance.now();
  while (performance.now() - warmStart < WARMUP_MS || calls < 3) {
    t0 = performance.now();
    fn();
    per = Math.min(per, performance.now() - t0);
    calls++;
  }
  const batch = Math.max(1, Math.min(1_000_000, Math.ceil(5 / Math.max(per, 1e-5))));
  const times: number[] = [], cpu: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < MAX_SAMPLES && performance.now() - start < BUDGET_MS)) {
    t0 = performance.now();
    c0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    cpu.push(cpuSince(c0) / batch);
    times.push((performance.now() - t0) / batch);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  return { ms: median(times), cpuMs: median(cpu), samples: times.length };
}

/** Milliseconds of CPU (user + system) this process used since `c0`. */
function cpuSince(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
}

/** The shape cut to its first `n` images (TF.js CPU's slow passes on S5 are timed so, then scaled). */
function slice(s: Shape, n: number): Shape {
  return { ...s, n };
}

function flops(s: Shape): number {
  const oh = s.h + 2 * s.pad - s.k[0] + 1, ow = s.w + 2 * s.pad - s.k[1] + 1;
  return 2 * s.n * s.cout * oh * ow * s.cin * s.k[0] * s.k[1];
}

/** One timed call per engine and pass, or null where the engine has no such kernel. */
type Runner = (() => void) | null;

/** ConvLab's passes inside recycling, as a training step runs them. */
function inStep(runners: Record<Pass, Runner>): Record<Pass, Runner> {
  const wrap = (fn: Runner): Runner => (fn === null ? null : () => recycling(fn));
  return { 'forward': wrap(runners.forward), 'input-grad': wrap(runners['input-grad']), 'weight-grad': wrap(runners['weight-grad']) };
}

function convlabRunners(s: Shape): Record<Pass, Runner> {
  const oh = s.h + 2 * s.pad - s.k[0] + 1, ow = s.w + 2 * s.pad - s.k[1] + 1;
  const x: Tensor = { shape: [s.n, s.cin, s.h, s.w], data: uniform(s.n * s.cin * s.h * s.w, -1, 1, 1) };
  const w: Tensor = { shape: [s.cout, s.cin, ...s.k], data: uniform(s.cout * s.cin * s.k[0] * s.k[1], -0.5, 0.5, 2) };
  const gy: Tensor = { shape: [s.n, s.cout, oh, ow], data: uniform(s.n * s.cout * oh * ow, -1, 1, 3) };
  const o = { padding: s.pad };
  return {
    'forward': () => void conv2d(x, w, null, o),
    'input-grad': () => void conv2dInputGrad(x.shape, w, gy, o),
    'weight-grad': () => void conv2dWeightGrad(x, gy, w.shape, o),
  };
}

/**
 * TF.js, loaded only once ConvLab has been timed: ConvLab then runs in a process as lean as the app's engine worker,
 * which never loads TF.js (a bigger heap makes every garbage collection, and so S1's small allocations, dearer).
 */
let tf: typeof TF;

function tfRunners(s: Shape, engine: Engine): Record<Pass, Runner> {
  const oh = s.h + 2 * s.pad - s.k[0] + 1, ow = s.w + 2 * s.pad - s.k[1] + 1;
  const x = tf.tensor4d(uniform(s.n * s.h * s.w * s.cin, -1, 1, 1), [s.n, s.h, s.w, s.cin]);
  const w = tf.tensor4d(uniform(s.k[0] * s.k[1] * s.cin * s.cout, -0.5, 0.5, 2), [s.k[0], s.k[1], s.cin, s.cout]);
  const dy = tf.tensor4d(uniform(s.n * oh * ow * s.cout, -1, 1, 3), [s.n, oh, ow, s.cout]);
  // Every shape is either unpadded or padded to keep its size, which TF.js spells 'valid' and 'same'.
  const pad = s.pad === 0 ? 'valid' : 'same';
  const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: [1, 1] };
  // Results are read back (dataSync) so lazy backends cannot skip work, and disposed so memory stays flat.
  const run = (kernel: string, inputs: Record<string, TF.Tensor>, extra: Record<string, unknown>) => () => {
    const r = tf.engine().runKernel(kernel, inputs, { ...attrs, ...extra } as unknown as TF.NamedAttrMap) as TF.Tensor;
    r.dataSync();
    r.dispose();
  };
  return {
    'forward': run('Conv2D', { x, filter: w }, {}),
    'input-grad': run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: [s.n, s.h, s.w, s.cin] }),
    'weight-grad': engine === 'tfjs-wasm' ? null : run('Conv2DBackpropFilter', { x, dy }, { filterShape: [s.k[0], s.k[1], s.cin, s.cout] }),
  };
}

async function useBackend(engine: Engine): Promise<string | null> {
  if (engine.startsWith('convlab')) return null;
  try {
    tf ??= await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    if (engine === 'tfjs-wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(dist + path.sep);
    }
    const ok = await tf.setBackend(engine === 'tfjs-cpu' ? 'cpu' : 'wasm');
    await tf.ready();
    return ok ? null : 'backend failed to initialise';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Row { shape: string; pass: Pass; engine: Engine; ms: number | null; cpuMs: number | null; gflops: number | null; note?: string }

/** TF.js CPU takes minutes on batches this large: time one image and scale. */
const SLICE_FROM_BATCH = 16;

/** Wall-clock and CPU (every thread of the process) milliseconds of one call of an async pass. */
async function timeAsync(fn: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const t0 = performance.now(), c0 = process.cpuUsage();
  await fn();
  return { ms: performance.now() - t0, cpuMs: cpuSince(c0) };
}

/** `--workers N`: each batched shape's passes on a team of N threads against a team of one (the plain call). */
async function benchWorkers(n: number): Promise<void> {
  const file = new URL('./batch-worker.ts', import.meta.url), execArgv = ['--import', 'tsx'];
  const teams = [createBatchTeam(1, file, execArgv), createBatchTeam(n, file, execArgv)];
  const speedups: number[] = [];
  const controlBefore = await controlSpeedup();
  process.stdout.write(`ConvLab batch split over ${n} threads vs 1 (wall clock, medians; speed-up: median of paired calls' ratios) — ${os.cpus().length} cores, ` +
    `load ${os.loadavg()[0].toFixed(1)}, ${kernels === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels\n`);
  for (const s of SHAPES.filter((sh) => sh.n > 1 && (only === null || only.includes(sh.name)))) {
    const oh = s.h + 2 * s.pad - s.k[0] + 1, ow = s.w + 2 * s.pad - s.k[1] + 1;
    const shared = shareConv(
      { shape: [s.n, s.cin, s.h, s.w], data: uniform(s.n * s.cin * s.h * s.w, -1, 1, 1) },
      { shape: [s.cout, s.cin, ...s.k], data: uniform(s.cout * s.cin * s.k[0] * s.k[1], -0.5, 0.5, 2) },
      { shape: [s.n, s.cout, oh, ow], data: uniform(s.n * s.cout * oh * ow, -1, 1, 3) }, { padding: s.pad });
    for (const pass of PASSES) {
      // The two teams call by call in turn, so a burst of other work on the machine falls on both of a pair alike;
      // the speed-up is the median of the pairs' ratios.
      for (let warm = 0; warm < 3; warm++) for (const team of teams) await team.run(pass, shared);
      const one: { ms: number; cpuMs: number }[] = [], many: { ms: number; cpuMs: number }[] = [], ratios: number[] = [];
      for (let pair = 0; pair < (quick ? 7 : s.n >= 64 ? 61 : 21); pair++) {
        one.push(await timeAsync(() => teams[0].run(pass, shared)));
        many.push(await timeAsync(() => teams[1].run(pass, shared)));
        ratios.push(one[pair].ms / many[pair].ms);
      }
      const mid = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
      const t1 = { ms: mid(one.map((t) => t.ms)), cpuMs: mid(one.map((t) => t.cpuMs)) };
      const tn = { ms: mid(many.map((t) => t.ms)), cpuMs: mid(many.map((t) => t.cpuMs)) };
      const speedup = mid(ratios);
      speedups.push(speedup);
      // Each thread's CPU over a block of calls per team (/proc counts in 10 ms ticks, so ~1 s of calls): the
      // split's extra work, which other sessions' load changes far less than the wall clock.
      const calls = Math.max(5, Math.ceil(1000 / t1.ms));
      const cpuPerCall = async (team: (typeof teams)[number]) => {
        const before = threadSeconds();
        for (let i = 0; i < calls; i++) await team.run(pass, shared);
        return busiest(before).map((sec) => (sec * 1000) / calls);
      };
      const [solo] = await cpuPerCall(teams[0]), split = await cpuPerCall(teams[1]);
      // Which thread took more chunks depends on when each was scheduled; the sum is the split's work.
      const work = split.length === 2 && solo > 0 ? (split[0] + split[1]) / solo : 0;
      const threads = work > 0 ? `; CPU by thread ${fmtMs(solo)} ms alone, ${split.map(fmtMs).join(' + ')} ms split: ` +
        `${work.toFixed(2)}× the work, so at most ${(2 / work).toFixed(2)}× on an idle machine` : '';
      process.stdout.write(`  ${s.name} ${pass.padEnd(11)}: 1 thread ${fmtMs(t1.ms)} ms (cpu ${fmtMs(t1.cpuMs)}, ${(flops(s) / t1.ms / 1e6).toFixed(2)} GF/s), ` +
        `${n} threads ${fmtMs(tn.ms)} ms (cpu ${fmtMs(tn.cpuMs)}, ${(flops(s) / tn.ms / 1e6).toFixed(2)} GF/s), speed-up ${speedup.toFixed(2)}×${threads}\n`);
    }
  }
  await Promise.all(teams.map((t) => t.close()));
  process.stdout.write(controlLine(controlBefore, await controlSpeedup()));
  if (speedups.length > 0) {
    process.stdout.write(`  speed-up over 1 thread: lowest ${Math.min(...speedups).toFixed(2)}×, median ${speedups.sort((a, b) => a - b)[speedups.length >> 1].toFixed(2)}×; ` +
      `load ${os.loadavg()[0].toFixed(1)} at the end\n`);
  }
}

async function main(): Promise<void> {
  const workersArg = args.find((a) => a.startsWith('--workers'));
  if (workersArg) {
    await benchWorkers(Number(workersArg.includes('=') ? workersArg.split('=')[1] : args[args.indexOf(workersArg) + 1]) || 2);
    return;
  }
  const shapes = SHAPES.filter((s) => only === null || only.includes(s.name));
  const engines = quick ? (['convlab', 'convlab-step'] as Engine[]) : [...ENGINES];
  const rows: Row[] = [];
  const emit = (r: Row) => {
    rows.push(r);
    if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else process.stderr.write(`  ${r.shape} ${r.pass} ${r.engine}: ${r.ms === null ? 'n/a' : `${fmtMs(r.ms)} ms, cpu ${fmtMs(r.cpuMs!)} ms`}${r.note ? ` (${r.note})` : ''}\n`);
  };
  if (!json) {
    process.stdout.write(`ConvLab conv2d benchmark — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}), ` +
      `Node ${process.version}, TF.js 4.22; ConvLab kernels: ${kernels === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'}\n`);
  }
  for (const engine of engines) {
    const failure = await useBackend(engine);
    if (!json && engine === 'tfjs-wasm' && failure === null) {
      process.stdout.write(`tfjs-wasm: SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}\n`);
    }
    for (const s of shapes) {
      const scale = engine === 'tfjs-cpu' && s.n >= SLICE_FROM_BATCH ? s.n : 1;
      const timed = scale === 1 ? s : slice(s, 1);
      const runners = failure !== null ? null : engine === 'convlab' ? convlabRunners(timed)
        : engine === 'convlab-step' ? inStep(convlabRunners(timed)) : tfRunners(timed, engine);
      for (const pass of PASSES) {
        const fn = runners?.[pass] ?? null;
        if (fn === null) {
          emit({ shape: s.name, pass, engine, ms: null, cpuMs: null, gflops: null, note: failure ?? 'no kernel' });
          continue;
        }
        const m = measure(fn);
        const ms = m.ms * scale, cpuMs = m.cpuMs * scale;
        emit({ shape: s.name, pass, engine, ms, cpuMs, gflops: flops(s) / cpuMs / 1e6,
          ...(scale > 1 ? { note: `timed on 1 of ${s.n} images, scaled ×${s.n}` } : {}) });
      }
    }
  }
  if (!json) printTable(rows, shapes, engines);
}

function fmtMs(ms: number): string {
  return ms < 0.01 ? ms.toFixed(5) : ms < 1 ? ms.toFixed(4) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

function printTable(rows: Row[], shapes: Shape[], engines: Engine[]): void {
  const get = (s: string, p: Pass, e: Engine) => rows.find((r) => r.shape === s && r.pass === p && r.engine === e);
  const cell = (r: Row | undefined) => (r?.ms == null ? 'n/a'
    : `${fmtMs(r.ms)} ms (cpu ${fmtMs(r.cpuMs!)}) ${r.gflops!.toFixed(2)} GF/s${r.note ? ' *' : ''}`);
  const ratio = (a: Row | undefined, b: Row | undefined) => (a?.cpuMs == null || b?.cpuMs == null ? 'n/a' : `${(b.cpuMs / a.cpuMs).toFixed(2)}×`);
  const peers = engines.filter((e) => !e.startsWith('convlab'));
  const head = ['shape', 'pass', ...engines, ...peers.map((e) => `ConvLab/${e.replace('tfjs-', '')}`)];
  const lines = [head];
  for (const s of shapes) {
    for (const p of PASSES) {
      const cl = get(s.name, p, 'convlab');
      lines.push([s.name, p, ...engines.map((e) => cell(get(s.name, p, e))), ...peers.map((e) => ratio(cl, get(s.name, p, e)))]);
    }
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  process.stdout.write('\n' + lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n') + '\n');
  process.stdout.write('wall ms (cpu ms), GFLOP/s per CPU-second; convlab-step: the pass inside a training step (its result reuses ' +
    'the step before\'s memory); ratio = peer CPU time / ConvLab CPU time, the plain call (above 1: ConvLab ' +
    'is faster). * timed on one image of the batch and scaled by the batch size. S1 per call: ' +
    `${((get('S1', 'forward', 'convlab')?.ms ?? NaN) * 1000).toFixed(3)} µs wall, ${((get('S1', 'forward', 'convlab')?.cpuMs ?? NaN) * 1000).toFixed(3)} µs cpu, forward.\n`);
}

if (args.includes('--lenet')) await benchLenet(args);
// Loaded only when asked for: onnxruntime's native library would make the conv bench's process heavier than an engine worker.
else if (args.includes('--nets')) await (await import('./bench-nets')).benchNets(args);
else await main();
