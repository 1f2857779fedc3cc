/** Stochastic gradient descent, with optional momentum (PyTorch's form: v ← μv + g, w ← w − lr·v). */
import { check } from '../errors';

export interface SgdOptions {
  lr: number;
  momentum?: number;
}

/** Checks an SGD setting: lr positive and finite, momentum in [0, 1). */
export function checkSgd(o: SgdOptions): void {
  check(Number.isFinite(o.lr) && o.lr > 0, 'range', () => `learning rate must be a positive finite number, got ${o.lr}`);
  const m = o.momentum ?? 0;
  check(Number.isFinite(m) && m >= 0 && m < 1, 'range', () => `momentum must be in [0, 1), got ${m}`);
}

/** One optimiser over a fixed list of parameters; keeps a velocity per parameter when momentum > 0. */
export class Sgd {
  private readonly velocity: Float32Array[];

  constructor(private readonly params: Float32Array[], private readonly options: SgdOptions) {
    checkSgd(options);
    this.velocity = params.map((p) => new Float32Array(p.length));
  }

  /** w ← w − lr·g (or the momentum form); `grads[i]` belongs to `params[i]`, null skips it. */
  step(grads: (Float32Array | null)[]): void {
    const { lr } = this.options, mu = this.options.momentum ?? 0;
    this.params.forEach((w, k) => {
      const g = grads[k];
      if (g === null) return;
      const v = this.velocity[k];
      for (let i = 0; i < w.length; i++) {
        if (mu > 0) {
          v[i] = mu * v[i] + g[i];
          w[i] -= lr * v[i];
        } else {
          w[i] -= lr * g[i];
        }
      }
    });
  }
}
