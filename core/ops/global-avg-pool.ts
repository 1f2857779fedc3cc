/** Global average pooling, (N,C,H,W) → (N,C,1,1) (NiN, GoogLeNet, ResNet, DenseNet): forward and backward side by side. */
import { checkRank, type Tensor } from '../tensor';

/** Each channel's mean over its H×W cells, summed in double precision. */
export function globalAvgPool(x: Tensor): Tensor {
  checkRank(x, 4, 'NCHW', 'input');
  const [n, c, h, w] = x.shape, hw = h * w, xd = x.data;
  const y = new Float32Array(n * c);
  for (let p = 0; p < n * c; p++) {
    let s = 0;
    for (let i = p * hw; i < (p + 1) * hw; i++) s += xd[i];
    y[p] = s / hw;
  }
  return { shape: [n, c, 1, 1], data: y };
}

/** Backward of globalAvgPool: each cell of a plane gets that plane's gradient / (H·W). */
export function globalAvgPoolBackward(inputShape: readonly number[], gradOutput: Tensor): Tensor {
  const [n, c, h, w] = inputShape, hw = h * w;
  const gx = new Float32Array(n * c * hw);
  for (let p = 0; p < n * c; p++) gx.fill(gradOutput.data[p] / hw, p * hw, (p + 1) * hw);
  return { shape: [...inputShape], data: gx };
}
