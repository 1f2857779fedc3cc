/**
 * What saving a large lab costs every other page of the browser host: one page asks a small forward pass every
 * 5 ms while another saves (encodeLab) a 30 MB lab, GoogLeNet at divisor 1, again and again; prints the small
 * requests' p50/p99/max first with no save, then during the saves, and how long each save took. The saves come
 * from a process of their own, so encoding 30 MB never delays the measuring page's own thread.
 * Usage: npx tsx electron/cli/lab-save-latency.ts [saves, 5 by default]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labConv } from '../../core/lab/lab-conv';
import { initParams } from '../../core/nets/params';
import { trainingNet } from '../../core/nets/catalogue';
import { saveNet } from '../contract/lab-file-v3';
import { bookNetSettings } from '../contract/net-contract';
import { openHostPage as open, type HostPage as Page } from '../web/testing/host-page';
import { startHostProcess } from '../web/testing/host-process';

const SAVES = Number(process.argv[2] ?? 5);
/** Set in the child that saves: the host's port and origin. */
const SAVER = process.argv[3] ? { port: Number(process.argv[3]), origin: process.argv[4] } : null;

const settings = { ...bookNetSettings('googlenet'), divisor: 1 };
const params = initParams(trainingNet({ ...settings, channels: [...settings.channels] }).spec, { seed: 1 });
const base = JSON.parse(readFileSync(new URL('../services/fixtures/good-v2.convlab.json', import.meta.url), 'utf8')).lab;
const labText = JSON.stringify({ type: 'convlab', version: 3, lab: { ...base, net: saveNet(settings, params, { epochs: [], batchLosses: [] }) } });
const small = {
  input: { shape: [1, 1, 6, 8], data: new Float32Array(48).fill(1) },
  layers: [labConv({ shape: [1, 1, 1, 2], data: Float32Array.from([1, -1]) }, new Float32Array(1))],
};

/** The small page's latencies while `busy` runs (or for `ms` when there is nothing else). */
async function latencies(page: Page, busy: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  void busy.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const result = await page.call('forward', small);
    if (!result.ok) throw new Error(`a small request failed: ${result.error?.message}`);
    samples.push(performance.now() - started);
    await new Promise((wait) => setTimeout(wait, 5));
  }
  return samples;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `${sorted.length} small requests: p50 ${at(0.5)} ms, p99 ${sorted.length >= 100 ? `${at(0.99)} ms` : 'n/a (under 100)'}, max ${at(1)} ms`;
}

if (SAVER) {
  const saver = await open(SAVER.port, SAVER.origin);
  const seconds: string[] = [];
  for (let i = 0; i < SAVES; i++) {
    const started = performance.now();
    const result = await saver.call('encodeLab', { text: labText, fileName: 'googlenet' });
    if (!result.ok) throw new Error(`the save failed: ${result.error?.message}`);
    seconds.push(((performance.now() - started) / 1000).toFixed(2));
  }
  process.stdout.write(seconds.join(', '));
  saver.ws.close();
  process.exit(0);
}

/** Runs `saves` saves from a child process; answers what it printed (each save's seconds). */
function saveFromChild(saves: number, port: number, origin: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(saves), String(port), origin], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`the saving process exited with ${code}`)))));
}

const host = await startHostProcess();
try {
  const watcher = await open(host.port, host.origin);
  await watcher.call('forward', small);
  // The first save starts the codec's worker (compiled from source here): not what is measured.
  await saveFromChild(1, host.port, host.origin);
  process.stdout.write(`without a save: ${summary(await latencies(watcher, new Promise((wait) => setTimeout(wait, 3000))))}\n`);
  const saving = saveFromChild(SAVES, host.port, host.origin);
  process.stdout.write(`while ${SAVES} saves of a ${(labText.length / 1048576).toFixed(1)} MB lab run: ${summary(await latencies(watcher, saving))}\n`);
  process.stdout.write(`each save took ${await saving} s; the host exited ${host.exits.length} times\n`);
  watcher.ws.close();
} finally {
  await host.stop();
}
