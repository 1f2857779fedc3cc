/**
 * Where the explorer's weights come from. Xavier from a seed unless a trained network of the same architecture and
 * input shape has been registered here (the seam for a LeNet trained in the Training mode: its run calls
 * registerTrainedWeights with its parameters when it finishes; nothing registers yet).
 */
import type { NetId } from '../../core/nets/book-nets';
import type { Params } from '../../core/nets/model';
import type { Network } from '../../core/nets/network';
import { checkParams, initParams } from '../../core/nets/params';

const trained = new Map<string, Params>();
const keyOf = (id: NetId, input: readonly number[]) => `${id}@${input.join('x')}`;

/** Makes `params` the weights the explorer uses for `id` at `input` (NCHW), checked against the network first. */
export function registerTrainedWeights(id: NetId, net: Network, params: Params): void {
  checkParams(net.spec, params);
  trained.set(keyOf(id, net.input), params);
}

/** The weights for `net`: trained ones when registered for this network and input shape, else Xavier from `seed`. */
export function weightsFor(id: NetId, net: Network, seed: number): { params: Params; source: 'xavier' | 'trained' } {
  const found = trained.get(keyOf(id, net.input));
  if (found) return { params: found, source: 'trained' };
  // Gluon's nn.BatchNorm starts its moving variance at 1, so an untrained BN network predicts sensibly.
  return { params: initParams(net.spec, { seed, movingVar: 1 }), source: 'xavier' };
}
