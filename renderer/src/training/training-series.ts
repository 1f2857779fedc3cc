/**
 * The numbers of one run, iteration by iteration, in buffers sized once when the run starts: a 10,000-iteration run
 * appends into typed arrays and allocates nothing per iteration. Converts to and from the document's history.
 */
import type { TrainingHistory, TrainingOutcome } from './training-doc';

/** The document keeps at most this many iterations of a run (plus every printed one), so a lab file stays small. */
export const HISTORY_KEPT = 2000;

export class TrainingSeries {
  count = 0;
  readonly at: Int32Array;
  readonly losses: Float64Array;
  readonly weights: Float32Array;
  readonly biases: Float64Array;

  constructor(
    readonly capacity: number,
    /** Weights per iteration (kh·kw). */
    readonly size: number,
  ) {
    this.at = new Int32Array(capacity);
    this.losses = new Float64Array(capacity);
    this.weights = new Float32Array(capacity * size);
    this.biases = new Float64Array(capacity);
  }

  /** Appends one iteration; beyond the capacity it is ignored (a run never exceeds its iteration count). */
  push(iteration: number, loss: number, weight: ArrayLike<number>, bias: number): void {
    if (this.count >= this.capacity) return;
    const t = this.count++;
    this.at[t] = iteration;
    this.losses[t] = loss;
    for (let k = 0; k < this.size; k++) this.weights[t * this.size + k] = weight[k];
    this.biases[t] = bias;
  }

  /** The kernel after entry t (a view, not a copy). */
  weightAt(t: number): Float32Array {
    return this.weights.subarray(t * this.size, (t + 1) * this.size);
  }

  get last(): number {
    return this.count - 1;
  }

  /** The history the document keeps: every iteration, or for long runs an even sample that keeps every printed one. */
  toHistory(outcome: TrainingOutcome, printed: (iteration: number) => boolean): TrainingHistory {
    const stride = Math.ceil(this.count / HISTORY_KEPT);
    const keep: number[] = [];
    for (let t = 0; t < this.count; t++) if (t % stride === 0 || t === this.last || printed(this.at[t])) keep.push(t);
    const dense = keep.length === this.count && keep.every((t) => this.at[t] === t + 1);
    return {
      losses: keep.map((t) => this.losses[t]),
      weights: keep.map((t) => Array.from(this.weightAt(t))),
      biases: keep.map((t) => this.biases[t]),
      ...(dense ? {} : { at: keep.map((t) => this.at[t]) }),
      outcome,
    };
  }

  static fromHistory(history: TrainingHistory, size: number): TrainingSeries {
    const n = history.losses.length;
    const series = new TrainingSeries(n, size);
    for (let t = 0; t < n; t++) series.push(history.at?.[t] ?? t + 1, history.losses[t], history.weights[t] ?? [], history.biases[t] ?? 0);
    return series;
  }
}
