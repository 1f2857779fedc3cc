/**
 * The explorer's forward pass, in the engine worker: builds the network at the image's size, refuses it above the
 * compute budget before any work, runs it once and keeps every block's output, so viewing another block or other
 * channels of the same pass costs nothing. Only the slice the page views is sent back, copied.
 */
import { BOOK_NETS, buildNetwork } from '../../core/nets/book-nets';
import { blockOutputs, outputSlice } from '../../core/nets/block-outputs';
import { checkNetworkBudget } from '../../core/nets/explore';
import type { Tensor } from '../../core/tensor';
import { ConvLabError } from '../../core/errors';
import type { RequestOf, ResponseOf } from '../contract/contract';
import { weightsFor } from './network-weights';

interface Pass {
  key: string;
  input: Float32Array;
  outputs: Tensor[];
  weights: 'xavier' | 'trained';
}

let last: Pass | null = null;

function sameData(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One forward pass (or the last one again, when the network, seed and image are the same) and one block's slice. */
export function explorerForward(request: RequestOf<'explorerForward'>): ResponseOf<'explorerForward'> {
  const { net: id, input, seed, block, channelStart } = request;
  const key = `${id}|${input.shape.join('x')}|${seed}`;
  const net = buildNetwork(id, input.shape);
  if (block >= net.blocks.length) {
    // The request counts blocks from 0: name its own number and the range it may take, not a 1-based one.
    throw new ConvLabError('range', `block ${block} is out of range: ${BOOK_NETS[id].title} has ${net.blocks.length} blocks, block 0 to ${net.blocks.length - 1}`);
  }
  let macs = 0, elapsedMs = 0;
  const cached = last !== null && last.key === key && sameData(last.input, input.data);
  if (!cached) {
    checkNetworkBudget(net);
    const { params, source } = weightsFor(id, net, seed);
    const started = performance.now();
    const outputs = blockOutputs(net, params, { shape: input.shape, data: input.data });
    elapsedMs = performance.now() - started;
    macs = net.macs;
    last = { key, input: Float32Array.from(input.data), outputs, weights: source };
  }
  const pass = last!;
  const slice = outputSlice(pass.outputs[block], channelStart);
  const logits = pass.outputs[pass.outputs.length - 1].data.slice();
  return {
    block, map: { shape: slice.shape, data: slice.data }, full: slice.full, channelStart: slice.channelStart, channels: slice.channels,
    logits, weights: pass.weights, macs, elapsedMs, cached,
  };
}
