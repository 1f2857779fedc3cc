/**
 * The loss surface of a two-weight kernel (bias frozen) over (k1, k2), for the training panel's heat map. With the
 * bias frozen the loss Σ(corr2d(x, w) − y)² is a quadratic in w, so six evaluations through the trainer's lossAt fix
 * it exactly; the grid is then cheap for any image size, and the quadratic also gives the minimum, which the view
 * must show.
 */
import { createTrainer } from '../../core/index';
import type { RequestOf, ResponseOf } from '../contract/contract';

/** L(a, b) = A a² + B ab + C b² + D a + E b + F. */
export interface Quadratic {
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
  F: number;
}

export function evaluate(q: Quadratic, a: number, b: number): number {
  return q.A * a * a + q.B * a * b + q.C * b * b + q.D * a + q.E * b + q.F;
}

/** Fits the quadratic from six values of `loss`: at the origin, ±1 on each axis, and (1, 1). */
export function fitQuadratic(loss: (a: number, b: number) => number): Quadratic {
  const F = loss(0, 0);
  const ap = loss(1, 0), am = loss(-1, 0), bp = loss(0, 1), bm = loss(0, -1);
  const A = (ap + am) / 2 - F, D = (ap - am) / 2;
  const C = (bp + bm) / 2 - F, E = (bp - bm) / 2;
  const B = loss(1, 1) - A - C - D - E - F;
  return { A, B, C, D, E, F };
}

/** The quadratic's minimum, or null when it has none (a flat direction: x gives that weight nothing to fit). */
export function minimumOf(q: Quadratic): [number, number] | null {
  const det = 4 * q.A * q.C - q.B * q.B;
  const scale = Math.max(Math.abs(4 * q.A * q.C), q.B * q.B, 1e-30);
  if (!(q.A > 0) || det <= 1e-9 * scale) return null;
  return [(q.B * q.E - 2 * q.C * q.D) / det, (q.B * q.D - 2 * q.A * q.E) / det];
}

/** A square window (same span on both axes, so contours keep their shape) around every point, with a margin. */
export function windowAround(points: readonly (readonly [number, number])[]): { k1: [number, number]; k2: [number, number] } {
  const finite = points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (finite.length === 0) return { k1: [-1.5, 1.5], k2: [-1.5, 1.5] };
  const lo = [Math.min(...finite.map((p) => p[0])), Math.min(...finite.map((p) => p[1]))];
  const hi = [Math.max(...finite.map((p) => p[0])), Math.max(...finite.map((p) => p[1]))];
  const half = Math.max(0.5, (Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2) * 1.35);
  const c1 = (lo[0] + hi[0]) / 2, c2 = (lo[1] + hi[1]) / 2;
  return { k1: [c1 - half, c1 + half], k2: [c2 - half, c2 + half] };
}

/**
 * The loss over a size×size grid: values[j·size + i] is the loss at k1 = the i-th column from the left and k2 = the
 * j-th row from the top (k2 falls downwards, as a plot's y axis does), at the centres of the cells.
 */
export function lossSurface(request: RequestOf<'lossSurface'>): ResponseOf<'lossSurface'> {
  const trainer = createTrainer({
    x: request.x,
    y: request.y,
    kernel: request.kernel,
    learnBias: false,
    lr: 1,
    iterations: 1,
    flip: request.flip,
    initBias: request.bias,
  });
  const w = new Float32Array(2);
  const quadratic = fitQuadratic((a, b) => {
    w[0] = a;
    w[1] = b;
    return trainer.lossAt(w, request.bias);
  });
  const minimum = minimumOf(quadratic);
  const { k1, k2 } = windowAround(minimum ? [...request.include, minimum] : request.include);
  const { size } = request;
  const values = new Float32Array(size * size);
  for (let j = 0; j < size; j++) {
    const b = k2[1] - ((j + 0.5) / size) * (k2[1] - k2[0]);
    for (let i = 0; i < size; i++) values[j * size + i] = Math.max(0, evaluate(quadratic, k1[0] + ((i + 0.5) / size) * (k1[1] - k1[0]), b));
  }
  return { size, k1, k2, values, minimum };
}
