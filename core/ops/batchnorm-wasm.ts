/**
 * Batch norm on the WebAssembly kernels (wasm/batchnorm.as.ts). A pass takes its sums in the module, hands them
 * back for the exchange (batchnorm.ts: a split batch's threads add theirs up between the two halves), then
 * finishes in the module on the operands it copied in for the sums.
 */
import { floats } from './floats';
import { Arena, arenaFor } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';

/** A tensor N×C×inner (inner = H·W for conv maps, 1 for dense features). */
export interface ChannelLayout { n: number; c: number; inner: number }

/**
 * The operands of one pass, copied into the module's memory with room for its output. They stay there across the
 * exchange; should anything lay out other buffers meanwhile (another op's arena starts at the same address), they
 * are copied in again.
 */
class Operands {
  private resets = -1;
  private at: number[] = [];
  private a!: Arena;

  constructor(private readonly k: WasmKernels, private readonly inputs: Float32Array[]) {}

  /** The inputs' addresses and the output's, laid out again if another arena has been reset since. */
  addresses(): number[] {
    if (this.resets !== Arena.resets) {
      this.a = arenaFor(this.k);
      this.at = [...this.inputs.map((d) => this.a.put(d)), this.a.take(this.inputs[0].length)];
      this.resets = Arena.resets;
    }
    return this.at;
  }

  /** Per-channel float64 values copied in (after the operands, so laid out with them). */
  doubles(values: Float64Array[]): number[] {
    this.addresses();
    return values.map((v) => this.a.putDoubles(v));
  }

  /** A fresh float64 buffer's address. */
  takeDoubles(count: number): number {
    this.addresses();
    return this.a.take(2 * count);
  }

  readDoubles(at: number, count: number): Float64Array {
    return this.a.doubles(at, count).slice();
  }

  /** The output, copied out (into a step's recycled array where the caller recycles: floats.ts). */
  output(): Float32Array {
    const at = this.addresses(), n = this.inputs[0].length;
    const out = floats(n, false);
    out.set(this.a.view(at[at.length - 1], n));
    return out;
  }
}

/** The train-mode forward in the module: the sums first, the normalisation once the exchange has totalled them. */
export class BatchNormForwardWasm {
  private readonly ops: Operands;

  constructor(private readonly k: WasmKernels, x: Float32Array, private readonly l: ChannelLayout) {
    this.ops = new Operands(k, [x]);
  }

  /** Per channel Σx, Σ(x − own mean)², (Σx)²/count, then count: batchnorm.ts's layout for the exchange. */
  sums(count: number): Float64Array {
    const { n, c, inner } = this.l;
    const at = this.ops.takeDoubles(3 * c + 1);
    const [px] = this.ops.addresses();
    this.k.batchNormStats(px, n, c, inner, count, at);
    const sums = this.ops.readDoubles(at, 3 * c + 1);
    sums[3 * c] = count;
    return sums;
  }

  /** y = (x − mean)·scale + shift per channel. */
  normalise(mean: Float64Array, scale: Float64Array, shift: Float64Array): Float32Array {
    const { n, c, inner } = this.l;
    const [pm, pk, pt] = this.ops.doubles([mean, scale, shift]);
    const [px, py] = this.ops.addresses();
    this.k.batchNormApply(px, py, n, c, inner, pm, pk, pt);
    return this.ops.output();
  }
}

/** The backward in the module: ΣG and ΣG·x̂ first, the input gradient once the exchange has totalled them. */
export class BatchNormBackwardWasm {
  private readonly ops: Operands;

  constructor(private readonly k: WasmKernels, x: Float32Array, g: Float32Array, private readonly l: ChannelLayout) {
    this.ops = new Operands(k, [x, g]);
  }

  /** Per channel ΣG, then per channel ΣG·(x − mean)·invStd. */
  sums(mean: Float64Array, invStd: Float64Array): Float64Array {
    const { n, c, inner } = this.l;
    const [pm, pi] = this.ops.doubles([mean, invStd]);
    const at = this.ops.takeDoubles(2 * c);
    const [px, pg] = this.ops.addresses();
    this.k.batchNormGradSums(px, pg, n, c, inner, pm, pi, at);
    return this.ops.readDoubles(at, 2 * c);
  }

  /** gx = scale·(G − mg − (x − mean)·invStd·mgx) per channel. */
  gradInput(mean: Float64Array, invStd: Float64Array, scale: Float64Array, mg: Float64Array, mgx: Float64Array): Float32Array {
    const { n, c, inner } = this.l;
    const [pm, pi, pk, pa, pe] = this.ops.doubles([mean, invStd, scale, mg, mgx]);
    const [px, pg, pgx] = this.ops.addresses();
    this.k.batchNormGradInput(px, pg, pgx, n, c, inner, pm, pi, pk, pa, pe);
    return this.ops.output();
  }
}
