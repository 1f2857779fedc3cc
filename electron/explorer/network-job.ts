/**
 * The explorer's forward pass as the engine queue sees it: built and priced from shapes alone, refused above
 * LIMITS.maxNetworkMultiplyAdds before it waits. Its cost depends only on the network and the size, so every view
 * of one pass goes to the same lane, and the worker that holds the pass's block outputs answers from them.
 */
import type { Cost } from '../../core/budget';
import { buildNetwork } from '../../core/nets/book-nets';
import { MAX_VIEWED_CHANNELS } from '../../core/nets/block-outputs';
import { checkNetworkBudget } from '../../core/nets/explore';
import type { RequestOf } from '../contract/contract';

/** The pass's price and supersede key, refused above the network budget. */
export function networkForwardJob(request: RequestOf<'explorerForward'>): { call: 'explorerForward'; cost: Cost; key: string } {
  const net = buildNetwork(request.net, request.input.shape);
  checkNetworkBudget(net);
  const out = net.blocks[request.block]?.output ?? net.output;
  const viewed = out.length === 4 ? Math.min(MAX_VIEWED_CHANNELS, out[1]) * out[2] * out[3] : out[1];
  return {
    call: 'explorerForward',
    cost: { multiplyAdds: net.macs, outputValues: viewed + net.output[1] },
    // A newer view of the same network at the same size replaces an older one still waiting.
    key: `explorerForward ${request.net} ${request.input.shape.join('x')}`,
  };
}
