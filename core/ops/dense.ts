/** Flatten and the fully connected (dense) layer: forward and backward side by side. */
import { check } from '../errors';
import { checkRank, shapeText, type Tensor } from '../tensor';

/** N×C×H×W (or any rank ≥ 1) to N×(C·H·W); shares the data. */
export function flatten(x: Tensor): Tensor {
  const n = x.shape[0];
  return { shape: [n, n === 0 ? 0 : x.data.length / n], data: x.data };
}

/** Backward of flatten: the gradient takes the input's shape back. */
export function flattenBackward(x: Tensor, gradOutput: Tensor): Tensor {
  return { shape: [...x.shape], data: gradOutput.data };
}

/** dense: y = x·Wᵀ + b for x N×I, W O×I (PyTorch's layout), b of length O. Sums in double precision. */
export function dense(x: Tensor, w: Tensor, bias: Float32Array | null = null): Tensor {
  checkRank(x, 2, 'N×features', 'input');
  checkRank(w, 2, 'outputs×inputs', 'weight');
  const [n, inp] = x.shape, [out, win] = w.shape;
  check(win === inp, 'shape', () => `weight ${shapeText(w.shape)} expects ${win} inputs but the input has ${inp}`);
  check(bias === null || bias.length === out, 'shape', () => `bias has ${bias?.length} values but the weight has ${out} outputs`);
  const y = new Float32Array(n * out), xd = x.data, wd = w.data;
  // Two rows of x against one row of W at a time: each weight read serves both rows.
  let r = 0;
  for (; r + 1 < n; r += 2) {
    const x0 = r * inp, x1 = x0 + inp;
    for (let o = 0; o < out; o++) {
      const wo = o * inp;
      let s0 = 0, s1 = 0;
      for (let i = 0; i < inp; i++) {
        const wv = wd[wo + i];
        s0 += xd[x0 + i] * wv;
        s1 += xd[x1 + i] * wv;
      }
      const b = bias === null ? 0 : bias[o];
      y[r * out + o] = s0 + b;
      y[(r + 1) * out + o] = s1 + b;
    }
  }
  for (; r < n; r++) {
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let i = 0; i < inp; i++) s += xd[r * inp + i] * wd[o * inp + i];
      y[r * out + o] = s + (bias === null ? 0 : bias[o]);
    }
  }
  return { shape: [n, out], data: y };
}

/**
 * Backward of dense: gradInput = g·W, gradWeight = gᵀ·x, gradBias = Σ_rows g. Each is a sum of whole rows scaled
 * by one gradient value, so every inner loop runs along contiguous memory; sums are kept in double precision.
 */
export function denseBackward(x: Tensor, w: Tensor, gradOutput: Tensor): { gradInput: Tensor; gradWeight: Tensor; gradBias: Float32Array } {
  const [n, inp] = x.shape, out = w.shape[0];
  const g = gradOutput.data, xd = x.data, wd = w.data;
  const gx = new Float64Array(n * inp), gw = new Float64Array(out * inp), gb = new Float64Array(out);
  for (let r = 0; r < n; r++) {
    const xo = r * inp;
    for (let o = 0; o < out; o++) {
      const gv = g[r * out + o];
      if (gv === 0) continue;
      gb[o] += gv;
      const wo = o * inp;
      for (let i = 0; i < inp; i++) {
        gx[xo + i] += gv * wd[wo + i];
        gw[wo + i] += gv * xd[xo + i];
      }
    }
  }
  return {
    gradInput: { shape: [n, inp], data: Float32Array.from(gx) },
    gradWeight: { shape: [out, inp], data: Float32Array.from(gw) },
    gradBias: Float32Array.from(gb),
  };
}
