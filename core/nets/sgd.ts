/** Plain SGD over a network's learnable parameters (optionally with momentum), keyed by path like Params. */
import { Sgd, type SgdOptions } from '../optim/sgd';
import type { NetSpec, Params } from './model';
import { paramSlots } from './params';

/** One optimiser for every learnable tensor of `spec` in `params`; moving statistics are left alone. */
export class NetSgd {
  private readonly paths: string[];
  private readonly sgd: Sgd;

  constructor(spec: NetSpec, params: Params, options: SgdOptions) {
    this.paths = paramSlots(spec).filter((s) => s.trainable).map((s) => s.path);
    this.sgd = new Sgd(this.paths.map((p) => params.get(p)!.data), options);
  }

  /** p ← p − lr·g (or the momentum form) for every path in `grads`. */
  step(grads: Map<string, Float32Array>): void {
    this.sgd.step(this.paths.map((p) => grads.get(p) ?? null));
  }
}
