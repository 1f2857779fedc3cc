/**
 * Where a network's forward pass spends its time, layer by layer: the clock read at each layer's output
 * (core/nets/run.ts onLayer) of a few passes, the median per layer. A residual's or concat's own time is its join.
 */
import type { Params } from '../../core/nets/model';
import type { Network } from '../../core/nets/network';
import { predict } from '../../core/nets/run';
import type { Tensor } from '../../core/tensor';

/** Median milliseconds of each layer (by model path) over `runs` forward passes of `x`. */
export function layerTimes(net: Network, params: Params, x: Tensor, runs: number): Map<string, number> {
  const all = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    let last = performance.now();
    predict(net.spec, params, x, (path) => {
      const now = performance.now();
      all.set(path, [...(all.get(path) ?? []), now - last]);
      last = now;
    });
  }
  return new Map([...all].map(([path, v]) => [path, [...v].sort((a, b) => a - b)[v.length >> 1]]));
}

/** A layer as a line reads it: conv2d 11×11/4 pad 0 1→96, dense 9216→4096, maxpool 3×3/2. */
function describe(net: Network, path: string): { text: string; macs: number } {
  const row = net.rows.find((r) => r.path === path);
  if (row === undefined) return { text: path, macs: 0 };
  const l = row.spec, shape = `(${row.output.join(', ')})`;
  switch (l.type) {
    case 'conv2d':
      return { text: `conv2d ${l.kernel.join('×')}/${l.stride[0]} pad ${l.padding[0]} ${l.inChannels}→${l.outChannels} at ${row.input[2]}×${row.input[3]} → ${shape}`, macs: row.macs };
    case 'dense':
      return { text: `dense ${l.inFeatures}→${l.outFeatures}`, macs: row.macs };
    case 'maxpool': case 'avgpool':
      return { text: `${l.type} ${l.kernel.join('×')}/${l.stride[0]} → ${shape}`, macs: 0 };
    case 'residual': case 'concat':
      return { text: `${l.type} join → ${shape}`, macs: 0 };
    default:
      return { text: `${l.type} → ${shape}`, macs: 0 };
  }
}

/** The `count` slowest layers, one line each, with their share of the pass and GFLOP/s where they multiply. */
export function slowestLines(net: Network, times: Map<string, number>, count: number): string {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  const top = [...times].sort((a, b) => b[1] - a[1]).slice(0, count);
  const lines = top.map(([path, ms]) => {
    const { text, macs } = describe(net, path);
    const rate = macs > 0 ? `, ${((2 * macs) / ms / 1e6).toFixed(1)} GFLOP/s` : '';
    return `    ${path.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms (${((100 * ms) / total).toFixed(0).padStart(2)}%${rate})  ${text}\n`;
  });
  return `  ConvLab's slowest layers, batch 1 (of ${total.toFixed(1)} ms in all):\n${lines.join('')}`;
}
