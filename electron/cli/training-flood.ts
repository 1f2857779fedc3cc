/**
 * Starts many network training runs on the real browser host (started from source, the dataset where the host finds
 * it), from one connection or from many, and reports how they were answered, how each run ended, and the host's
 * memory (resident set of the whole process, worker threads included): its peak, and 10 s after every run was
 * stopped. Half the connections stop their run by its id, the other half just close.
 * Usage: npx tsx electron/cli/training-flood.ts [starts] [connections] [--net NAME] [--divisor N] [--batch N]
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../contract/wire';
import { bookNetSettings, type NetSettings, type NetTrainingEvent } from '../contract/net-contract';
import { startHostProcess } from '../web/testing/host-process';

const flags = process.argv.slice(2);
const option = (name: string) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : undefined);
const positional = flags.filter((flag, i) => !flag.startsWith('--') && !flags[i - 1]?.startsWith('--'));
const STARTS = Number(positional[0] ?? 100);
const CONNECTIONS = Number(positional[1] ?? 1);
const net = (option('--net') ?? 'lenet') as NetSettings['net'];
const settings: NetSettings = {
  ...bookNetSettings(net), epochs: 100,
  ...(option('--divisor') ? { divisor: Number(option('--divisor')) } : {}),
  ...(option('--batch') ? { batchSize: Number(option('--batch')) } : {}),
};

type RunEnd = { runId: number; kind: string; message?: string };
type Result = { ok: true; value: { runId: number } } | { ok: false; error: { code: string; message: string } };

interface Page {
  ws: WebSocket;
  call: (call: string, request: unknown) => Promise<Result>;
  ends: RunEnd[];
  batches: number;
  /** When each end event arrived (performance.now()). */
  endedAt: number[];
}

function open(port: number): Promise<Page> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: `http://127.0.0.1:${port}` });
    const pending = new Map<number, (result: Result) => void>();
    let next = 1;
    const page: Page = {
      ws, ends: [], batches: 0, endedAt: [],
      call: (call, request) => new Promise((done) => {
        const id = next++;
        pending.set(id, done);
        ws.send(encodeMessage({ id, call, request }));
      }),
    };
    ws.on('message', (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as
        { id: number; result: Result } | { event: string; payload: NetTrainingEvent };
      if ('event' in message) {
        if (message.event !== 'netTraining') return;
        if (message.payload.kind === 'batch') page.batches++;
        if (['done', 'stopped', 'diverged', 'error'].includes(message.payload.kind)) {
          page.ends.push(message.payload as RunEnd);
          page.endedAt.push(performance.now());
        }
        return;
      }
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    });
    ws.on('error', reject);
    ws.on('open', () => resolve(page));
  });
}

const host = await startHostProcess();
const rss = () => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.child.pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pages = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(host.port)));
// The dataset's first check (its MD5s) is not part of the flood.
await pages[0].call('datasetStatus', {});
console.log(`host at start: ${mib(rss())}`);
const started = performance.now();
const results = await Promise.all(Array.from({ length: STARTS }, (_, i) =>
  pages[i % CONNECTIONS].call('netTrainingStart', { settings }).then((result) => ({ page: pages[i % CONNECTIONS], result }))));
const outcomes = new Map<string, number>();
for (const { result } of results) {
  const key = result.ok ? 'accepted' : `${result.error.code}: ${result.error.message}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}
console.log(`${STARTS} netTrainingStart (${settings.net}${settings.divisor ? ` ÷${settings.divisor}` : ''}, batch ${settings.batchSize}) from ${CONNECTIONS} connection(s), answered in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
for (const [key, n] of outcomes) console.log(`  ${n} × ${key}`);

await sleep(5_000);
console.log(`after 5 s of training: host ${mib(rss())}, peak ${mib(peak)}; batches seen ${pages.reduce((n, p) => n + p.batches, 0)}`);
// Each page's own last run is the one still going: half stop it by its id, half close the page.
const last = new Map<Page, number>();
for (const { page, result } of results) if (result.ok) last.set(page, result.value.runId);
const stopAt = performance.now();
await Promise.all(pages.map(async (page, i) => {
  const runId = last.get(page);
  if (runId !== undefined && i % 2 === 0) await page.call('netTrainingControl', { runId, command: 'stop' });
  else page.ws.close();
}));
const stoppedPages = pages.filter((page, i) => i % 2 === 0 && last.has(page));
await sleep(10_000);
const latencies = stoppedPages.map((page) => Math.max(...page.endedAt) - stopAt).filter(Number.isFinite);
if (latencies.length > 0) console.log(`Stop to its 'stopped' event: at most ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length} run(s)`);
console.log(`10 s after the stops (${((performance.now() - stopAt) / 1000).toFixed(1)} s): host ${mib(rss())}; peak over the whole run ${mib(peak)}`);
const ends = new Map<string, number>();
for (const page of pages) for (const end of page.ends) {
  const key = `${end.kind}${end.message ? `: ${end.message}` : ''}`;
  ends.set(key, (ends.get(key) ?? 0) + 1);
}
console.log('end events the open pages saw:');
for (const [key, n] of ends) console.log(`  ${n} × ${key}`);
clearInterval(sampler);
console.log(`host exits: ${host.exits.length}`);
for (const page of pages) page.ws.close();
await host.stop();
