/**
 * Floods the real browser host (started from source) with heavy forward requests from several connections while
 * another page asks small ones, and reports the small requests' latency (p50/p99/max), how the heavy ones were
 * answered, and the host's peak memory (resident set of the whole process, worker threads included). The flood comes
 * from a process of its own, over real sockets, all its requests sent at once.
 * Usage: npx tsx electron/cli/flood.ts [heavy requests] [connections] [--distinct] [--runs N]
 *   --distinct  every heavy request asks a different question (its input one column narrower than the one before),
 *               so none can replace another: what an attacker would send, rather than a page redrawing.
 *   --runs N    N floods one after the other against the same host, the small requests' latencies pooled.
 * First, 5 s of small requests without a flood: what the machine's other load alone does to them.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { labConv } from '../../core/lab/lab-conv';
import { openHostPage } from '../web/testing/host-page';
import { startHostProcess } from '../web/testing/host-process';

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const flags = process.argv.slice(2);
const optionAt = (name: string) => flags.indexOf(name);
const DISTINCT = flags.includes('--distinct');
const RUNS = optionAt('--runs') >= 0 ? Number(flags[optionAt('--runs') + 1]) : 1;
const positional = flags.filter((flag, i) => !flag.startsWith('--') && flags[i - 1] !== '--runs');
const HEAVY = Number(positional[0] ?? 1000);
const CONNECTIONS = Number(positional[1] ?? 10);
/** Set in the child that floods: its own process, so its encoding and decoding never delay the measuring page. */
const FLOOD_PORT = positional[2] ? Number(positional[2]) : null;

const conv = (ci: number, co: number) =>
  labConv({ shape: [co, ci, 3, 3], data: new Float32Array(co * ci * 9).fill(0.01) }, new Float32Array(co), { padding: [1, 1] });
// About 0.6 billion multiply-adds and an 8 MB answer: heavy, yet inside the budget. The i-th of a distinct flood is
// i % 64 columns narrower, so each page's requests ask different questions (at most 3% cheaper on average).
const heavyRequest = (i: number) => {
  const width = DISTINCT ? 128 - (Math.floor(i / CONNECTIONS) % 64) : 128;
  return { input: { shape: [1, 1, 128, width], data: new Float32Array(128 * width).fill(0.5) }, layers: [conv(1, 64), conv(64, 64)] };
};
// The book's 6×8 edge detection: what a repaint costs.
const small = {
  input: { shape: [1, 1, 6, 8], data: new Float32Array(48).fill(1) },
  layers: [{ ...conv(1, 1), weight: { shape: [1, 1, 1, 2], data: Float32Array.from([1, -1]) }, padding: [0, 0] }],
};

const origin = (port: number) => `http://127.0.0.1:${port}`;

/** A page that asks forward passes. */
const open = async (port: number) => {
  const page = await openHostPage(port, origin(port));
  return { ws: page.ws, call: (request: unknown) => page.call('forward', request) };
};

if (FLOOD_PORT !== null) {
  const floods = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(FLOOD_PORT)));
  const outcomes: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: HEAVY }, (_, i) =>
      floods[i % CONNECTIONS].call(heavyRequest(i)).then((result) => {
        const key = result.ok ? 'answered' : result.error!.code;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }),
    ),
  );
  process.stdout.write(JSON.stringify(outcomes));
  for (const { ws } of floods) ws.close();
  process.exit(0);
}

const host = await startHostProcess();
const rss = () => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.child.pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};
let peak = rss();
/**
 * Seconds the host's main thread (its thread id is the process id) has run on a CPU, and has waited, runnable, for
 * one (the kernel's schedstat): the first is the host's own work, the second what a busy machine adds to it.
 */
const mainThread = () => {
  const [running, waiting] = readFileSync(`/proc/${host.child.pid}/task/${host.child.pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { running: running / 1e9, waiting: waiting / 1e9 };
};
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

const watcher = await open(host.port);
// A page's first repaint starts the interactive worker (seconds, when it compiles from source): not part of the flood.
await watcher.call(small);
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const percentiles = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  // Below 100 samples the 99th percentile is simply the slowest: say so rather than let it pass as a p99.
  const p99 = sorted.length >= 100 ? `p99 ${at(0.99)} ms` : `p99 n/a (under 100 samples)`;
  return `p50 ${at(0.5)} ms, ${p99}, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};

/** Small requests, one at a time, 5 ms apart, while `going()`; their latencies and how many were refused. */
async function smallRequests(going: () => boolean): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  while (going()) {
    const t = performance.now();
    const result = await watcher.call(small);
    latencies.push(performance.now() - t);
    if (!result.ok) failed++;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { latencies, failed };
}

/** What the machine alone does to a small request, before any flood: its other load shows here, not in the host. */
async function baseline(seconds: number): Promise<void> {
  const loadBefore = load();
  const before = mainThread();
  const end = performance.now() + seconds * 1000;
  const { latencies } = await smallRequests(() => performance.now() < end);
  const after = mainThread();
  console.log(`no flood, ${seconds} s: ${latencies.length} small requests: ${percentiles(latencies)}; load average ${loadBefore} before, ${load()} after`);
  console.log(`  the host's main thread ran ${(after.running - before.running).toFixed(1)} s and waited ${(after.waiting - before.waiting).toFixed(1)} s for a CPU`);
}

/** One flood from a child process; meanwhile the small requests. */
async function flood(run: number): Promise<number[]> {
  const loadBefore = load();
  const before = mainThread();
  const started = performance.now();
  const args = [String(HEAVY), String(CONNECTIONS), String(host.port), ...(DISTINCT ? ['--distinct'] : [])];
  const flooder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let report = '';
  flooder.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
  let flooding = true;
  flooder.on('exit', () => (flooding = false));
  const { latencies, failed: smallFailed } = await smallRequests(() => flooding);
  const seconds = (performance.now() - started) / 1000;
  const after = mainThread();
  console.log(`run ${run}: ${HEAVY} ${DISTINCT ? 'distinct' : 'identical'} heavy forward requests (0.6 G multiply-adds, 8 MB answer each) from ${CONNECTIONS} connections, over ${seconds.toFixed(1)} s: ${report}`);
  console.log(`  ${latencies.length} small requests meanwhile (${smallFailed} refused): ${percentiles(latencies)}; load average ${loadBefore} before, ${load()} after`);
  console.log(`  the host's main thread ran ${(after.running - before.running).toFixed(1)} s and waited ${(after.waiting - before.waiting).toFixed(1)} s for a CPU in those ${seconds.toFixed(1)} s`);
  return latencies;
}

await baseline(5);
const pooled: number[] = [];
for (let run = 1; run <= RUNS; run++) pooled.push(...(await flood(run)));
clearInterval(sampler);
if (RUNS > 1) console.log(`all ${RUNS} runs: ${pooled.length} small requests: ${percentiles(pooled)}`);
console.log(`slowest small requests: ${[...pooled].sort((a, b) => a - b).slice(-5).map((ms) => ms.toFixed(0)).join(', ')} ms`);
console.log(`host peak memory (RSS): ${(peak / 1048576).toFixed(0)} MiB; exits: ${host.exits.length}`);
watcher.ws.close();
await host.stop();
