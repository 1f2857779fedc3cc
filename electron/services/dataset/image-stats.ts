/** Per-channel mean and standard deviation of a set of channel-planar byte images, in [0, 1] units (ToTensor's). */
import type { LabelledImages } from '../../../core/data/idx';

/** The mean and std of each of `channels` planes over every image of `set` (population std, as torch.std(unbiased=False)). */
export function channelStats(set: LabelledImages, channels: number): { mean: number[]; std: number[] } {
  const plane = set.rows * set.cols;
  const sum = new Float64Array(channels), squares = new Float64Array(channels);
  for (let n = 0; n < set.count; n++) {
    for (let c = 0; c < channels; c++) {
      const from = (n * channels + c) * plane;
      let s = 0, q = 0;
      for (let i = from; i < from + plane; i++) {
        const v = set.pixels[i];
        s += v;
        q += v * v;
      }
      sum[c] += s;
      squares[c] += q;
    }
  }
  const count = Math.max(1, set.count * plane);
  const mean = Array.from(sum, (s) => s / count / 255);
  const std = Array.from(squares, (q, c) => Math.sqrt(Math.max(0, q / count / 65025 - mean[c] * mean[c])));
  return { mean, std };
}
