/**
 * The training log as the book prints it: "batch 2, loss 4.949" every other iteration of its 10, and the learned
 * weight as MXNet prints it. Longer runs print ten lines, so a 10,000-iteration run reads like the book's.
 */
import { formatArray, rowsOf } from '../numbers/numpy-format';

/** Every 2nd iteration up to 20 (the book's 10 print 2, 4, …, 10); beyond, every tenth of the run. */
export function logEvery(iterations: number): number {
  return iterations <= 20 ? 2 : Math.round(iterations / 10);
}

/** Whether iteration i (1-based) of a run of n prints a line; the last one always does. */
export function isPrinted(iteration: number, iterations: number): boolean {
  return iteration % logEvery(iterations) === 0 || iteration === iterations;
}

/** The loss as Python's '%.3f' writes it ("nan" and "inf" included). */
export function bookLoss(loss: number): string {
  if (Number.isNaN(loss)) return 'nan';
  if (!Number.isFinite(loss)) return loss > 0 ? 'inf' : '-inf';
  // Beyond 1e21 toFixed turns exponential; Python writes every digit, and BigInt has them exactly.
  return Math.abs(loss) < 1e21 ? loss.toFixed(3) : `${BigInt(loss)}.000`;
}

/** The learned kernel as `conv2d.weight.data().reshape((kh, kw))` prints it. */
export function bookWeight(weight: ArrayLike<number>, kh: number, kw: number): string {
  return formatArray(rowsOf(weight, kh, kw));
}
