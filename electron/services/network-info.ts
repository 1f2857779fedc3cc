/**
 * The explorer's table and diagram of a book network at a size. Shape inference only (no tensors, a few
 * milliseconds), so it runs on the main side without the engine and answers even while a forward pass is running.
 */
import { exploreNetwork, type NetworkView } from '../../core/nets/explore';
import type { RequestOf } from '../contract/contract';

/** The view at one input channel; a side the network cannot take is refused naming the layer and the arithmetic. */
export function networkInfo({ net, side }: RequestOf<'networkInfo'>): NetworkView {
  return exploreNetwork(net, side).view;
}
