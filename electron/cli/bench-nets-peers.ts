/**
 * The peers of `npm run bench -- --nets`: a book network rebuilt in PyTorch with ConvLab's own weights
 * (bench-nets.py), exported to ONNX for onnxruntime-node and timed in PyTorch. The ONNX files are cached in the OS's
 * temporary folder, keyed by the network, its input and a digest of the weights.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { paramSlots } from '../../core/nets/params';
import type { Params } from '../../core/nets/model';
import type { Network } from '../../core/nets/network';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-nets.py');
const CACHE = path.join(os.tmpdir(), 'convlab-bench-nets');

/** PyTorch's median forward milliseconds by thread count, then by batch. */
export type TorchTimes = Record<string, Record<string, number>>;

export interface Peers {
  /** The ONNX file of the network with ConvLab's weights, or null when it could not be made. */
  onnx: string | null;
  torch: TorchTimes | null;
  /** Why a peer is missing. */
  missing: string | null;
}

/** Every parameter tensor in ConvLab's order (the order its layers run in), as one little-endian float32 buffer. */
function flatWeights(net: Network, params: Params): Buffer {
  const parts = paramSlots(net.spec).map((slot) => {
    const t = params.get(slot.path);
    if (t === undefined) throw new Error(`parameter ${slot.path} is missing`);
    return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  });
  return Buffer.concat(parts);
}

/**
 * The network exported to ONNX (cached) with ConvLab's weights, and PyTorch's forward times for `batches` on
 * `threads` (none timed when `threads` is empty).
 */
export function preparePeers(net: Network, params: Params, input: number[], batches: number[], threads: number[], budgetSeconds = 2): Peers {
  if (!existsSync(PYTHON)) return { onnx: null, torch: null, missing: `${PYTHON} not found: onnxruntime and PyTorch skipped` };
  mkdirSync(CACHE, { recursive: true });
  const weights = flatWeights(net, params);
  const digest = createHash('sha256').update(JSON.stringify(net.blocks.map((b) => b.block))).update(JSON.stringify(input)).update(weights)
    .digest('hex').slice(0, 16);
  const base = path.join(CACHE, `${net.title.replace(/[^A-Za-z0-9]+/g, '')}-${input.slice(1).join('x')}-${digest}`);
  const onnx = `${base}.onnx`, weightsFile = `${base}.f32`;
  const cached = existsSync(onnx);
  if (!cached) writeFileSync(weightsFile, weights);
  if (cached && threads.length === 0) return { onnx, torch: null, missing: null };
  const spec = { blocks: net.blocks.map((b) => b.block), input, weights: weightsFile, onnx: cached ? null : onnx, batches, threads, budget: budgetSeconds };
  const specFile = `${base}.json`;
  writeFileSync(specFile, JSON.stringify(spec));
  const r = spawnSync(PYTHON, [SCRIPT, specFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
    return { onnx: existsSync(onnx) ? onnx : null, torch: null, missing: `PyTorch failed: ${why}` };
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: TorchTimes };
  return { onnx, torch: out.torch, missing: null };
}

/** An onnxruntime session on `threads` intra-op threads and one inter-op thread, as the bench compares. */
export async function ortSession(file: string, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
}

/** One onnxruntime forward pass of `data` (shape `shape`): the output's values. */
export async function ortForward(session: ort.InferenceSession, data: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [...shape]) });
  return out[session.outputNames[0]].data as Float32Array;
}
