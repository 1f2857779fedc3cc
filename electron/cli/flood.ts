/**
 * Floods the real browser host (started from source) with heavy forward requests from several connections while
 * another page asks small ones, and reports the small requests' latency (p50/p99/max), how the heavy ones were
 * answered, and the host's peak memory (resident set of the whole process, worker threads included).
 * Usage: npx tsx electron/cli/flood.ts [heavy requests] [connections]
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../contract/wire';
import { startHostProcess } from '../web/testing/host-process';

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HEAVY = Number(process.argv[2] ?? 1000);
const CONNECTIONS = Number(process.argv[3] ?? 10);
/** Set in the child that floods: its own process, so its encoding and decoding never delay the measuring page. */
const FLOOD_PORT = process.argv[4] ? Number(process.argv[4]) : null;

const conv = (ci: number, co: number) => ({
  kind: 'conv',
  weight: { shape: [co, ci, 3, 3], data: new Float32Array(co * ci * 9).fill(0.01) },
  bias: new Float32Array(co),
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  flip: false,
});
// About 0.6 billion multiply-adds and an 8 MB answer: heavy, yet inside the budget.
const heavy = { input: { shape: [1, 1, 128, 128], data: new Float32Array(128 * 128).fill(0.5) }, layers: [conv(1, 64), conv(64, 64)] };
// The book's 6×8 edge detection: what a repaint costs.
const small = {
  input: { shape: [1, 1, 6, 8], data: new Float32Array(48).fill(1) },
  layers: [{ ...conv(1, 1), weight: { shape: [1, 1, 1, 2], data: Float32Array.from([1, -1]) }, padding: [0, 0] }],
};

const origin = (port: number) => `http://127.0.0.1:${port}`;

function open(port: number): Promise<{ ws: WebSocket; call: (request: unknown) => Promise<{ ok: boolean; error?: { code: string } }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: origin(port) });
    const pending = new Map<number, (result: { ok: boolean; error?: { code: string } }) => void>();
    let next = 1;
    ws.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { id: number; result: { ok: boolean } };
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        call: (request) =>
          new Promise((done) => {
            const id = next++;
            pending.set(id, done);
            ws.send(encodeMessage({ id, call: 'forward', request }));
          }),
      }),
    );
  });
}

if (FLOOD_PORT !== null) {
  const floods = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(FLOOD_PORT)));
  const outcomes: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: HEAVY }, (_, i) =>
      floods[i % CONNECTIONS].call(heavy).then((result) => {
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
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

const watcher = await open(host.port);
// A page's first repaint starts the interactive worker (seconds, when it compiles from source): not part of the flood.
await watcher.call(small);
const started = performance.now();
const flooder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(HEAVY), String(CONNECTIONS), String(host.port)], { stdio: ['ignore', 'pipe', 'inherit'] });
let report = '';
flooder.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
let flooding = true;
flooder.on('exit', () => (flooding = false));
const latencies: number[] = [];
let smallFailed = 0;
while (flooding) {
  const t = performance.now();
  const result = await watcher.call(small);
  latencies.push(performance.now() - t);
  if (!result.ok) smallFailed++;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`${HEAVY} heavy forward requests (0.6 G multiply-adds, 8 MB answer each) from ${CONNECTIONS} connections, over ${seconds.toFixed(1)} s: ${report}`);
console.log(`${latencies.length} small requests meanwhile (${smallFailed} refused): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
console.log(`slowest small requests: ${latencies.slice(-5).map((ms) => ms.toFixed(0)).join(', ')} ms`);
console.log(`host peak memory (RSS): ${(peak / 1048576).toFixed(0)} MiB; exits: ${host.exits.length}`);
watcher.ws.close();
await host.stop();
