/**
 * Small dense matrix products for the dense layer and its gradients, on plain row-major Float32Arrays with any
 * strides: C[m, n] = Σ_k A[m·am + k·ak] · B[k·bk + n·bn]. One 2×4 register tile at a time (as gemm.ts, for the same
 * reason: V8 keeps eight accumulators in registers), sums in double precision.
 */

/** Writes C (M×N, row-major) = A·B where A and B are read through strides (so Aᵀ or Bᵀ cost nothing). */
export function matmul(A: Float32Array, am: number, ak: number, B: Float32Array, bk: number, bn: number,
  C: Float32Array, M: number, N: number, K: number): void {
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = m * am, a1 = a0 + am;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      const b = n * bn;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k * ak], x1 = A[a1 + k * ak];
        const o = b + k * bk;
        const y0 = B[o], y1 = B[o + bn], y2 = B[o + 2 * bn], y3 = B[o + 3 * bn];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      const r0 = m * N + n, r1 = r0 + N;
      C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
      C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
    }
    for (; n < N; n++) {
      let c0 = 0, c1 = 0;
      for (let k = 0; k < K; k++) {
        const y = B[k * bk + n * bn];
        c0 += A[a0 + k * ak] * y;
        c1 += A[a1 + k * ak] * y;
      }
      C[m * N + n] = c0;
      C[(m + 1) * N + n] = c1;
    }
  }
  for (; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let c = 0;
      for (let k = 0; k < K; k++) c += A[m * am + k * ak] * B[k * bk + n * bn];
      C[m * N + n] = c;
    }
  }
}
