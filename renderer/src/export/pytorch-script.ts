/**
 * The stack as a short PyTorch script that reproduces ConvLab's numbers: nn.Conv2d with the exact weights (flipped
 * where the layer convolves, since PyTorch cross-correlates), pooling and activations, then each layer's output.
 */
import type { LabDocument, Layer } from '../document/document';
import { float32Number } from '../document/lab-codec';

const list = (values: ArrayLike<number>) => `[${Array.from(values, (v) => String(float32Number(v))).join(', ')}]`;
const pair = (p: readonly number[]) => `(${p[0]}, ${p[1]})`;

/** PyTorch's pooling refuses padding wider than half the window; the book's framework (MXNet) allows it. */
const poolNeedsPadding = (layer: Extract<Layer, { kind: 'pool' }>) =>
  layer.padding[0] * 2 > layer.kernel[0] || layer.padding[1] * 2 > layer.kernel[1];

const PAD_THEN_POOL = `
class PadThenPool(nn.Module):
    """PyTorch's pooling refuses padding wider than half the window, which the book's MXNet allows. This pads
    explicitly first (max: with -inf, so padding never wins; average: with 0), which gives ConvLab's numbers."""

    def __init__(self, mode, kernel_size, stride, padding, count_include_pad=True):
        super().__init__()
        self.mode, self.kernel_size, self.stride = mode, kernel_size, stride
        self.pad = (padding[1], padding[1], padding[0], padding[0])
        self.count_include_pad = count_include_pad

    def forward(self, x):
        if self.mode == "max":
            return F.max_pool2d(F.pad(x, self.pad, value=float("-inf")), self.kernel_size, self.stride)
        total = F.avg_pool2d(F.pad(x, self.pad), self.kernel_size, self.stride)
        if self.count_include_pad:
            return total
        real = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), self.pad), self.kernel_size, self.stride)
        return total / real
`;

function layerCode(layer: Layer, n: number): string[] {
  switch (layer.kind) {
    case 'conv': {
      const [kh, kw] = layer.kernelSize;
      const lines = [
        `# Layer ${n}: ${layer.flip ? 'convolution (the kernel flipped, section 5.1.5)' : 'cross-correlation, as nn.Conv2d computes'}`,
        `conv = nn.Conv2d(${layer.inChannels}, ${layer.outChannels}, kernel_size=${pair(layer.kernelSize)}, stride=${pair(layer.stride)}, padding=${pair(layer.padding)}, dilation=${pair(layer.dilation)})`,
        `weight = torch.tensor(${list(layer.weight)}, dtype=torch.float32).reshape(${layer.outChannels}, ${layer.inChannels}, ${kh}, ${kw})`,
        'with torch.no_grad():',
        layer.flip
          ? '    conv.weight.copy_(torch.flip(weight, dims=(2, 3)))  # PyTorch cross-correlates: flip to convolve'
          : '    conv.weight.copy_(weight)',
        `    conv.bias.copy_(torch.tensor(${list(layer.bias)}, dtype=torch.float32))`,
        'layers.append(conv)',
      ];
      return lines;
    }
    case 'pool': {
      const name = layer.mode === 'max' ? 'max pooling' : `average pooling (${layer.countIncludePad ? 'padded cells count' : 'only real cells count'})`;
      if (poolNeedsPadding(layer)) {
        return [
          `# Layer ${n}: ${name}. Its padding ${pair(layer.padding)} is wider than half its window ${pair(layer.kernel)}, which`,
          `# nn.${layer.mode === 'max' ? 'MaxPool2d' : 'AvgPool2d'} cannot express: PadThenPool pads first instead.`,
          `layers.append(PadThenPool("${layer.mode}", ${pair(layer.kernel)}, ${pair(layer.stride)}, ${pair(layer.padding)}, count_include_pad=${layer.countIncludePad ? 'True' : 'False'}))`,
        ];
      }
      return [
        `# Layer ${n}: ${name}`,
        layer.mode === 'max'
          ? `layers.append(nn.MaxPool2d(${pair(layer.kernel)}, stride=${pair(layer.stride)}, padding=${pair(layer.padding)}))`
          : `layers.append(nn.AvgPool2d(${pair(layer.kernel)}, stride=${pair(layer.stride)}, padding=${pair(layer.padding)}, count_include_pad=${layer.countIncludePad ? 'True' : 'False'}))`,
      ];
    }
    case 'act': {
      const module = { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'Tanh' }[layer.fn];
      return [`# Layer ${n}: ${module}`, `layers.append(nn.${module}())`];
    }
  }
}

/** A runnable script: `python lab.py` prints every layer's output, the same numbers ConvLab shows (to float32). */
export function pytorchScript(doc: LabDocument, title: string): string {
  const needsPadThenPool = doc.layers.some((layer) => layer.kind === 'pool' && poolNeedsPadding(layer));
  return [
    `# ${title}: the ConvLab stack in PyTorch. Run it with \`python\`; it prints each layer's output.`,
    'import torch',
    'from torch import nn',
    ...(needsPadThenPool ? ['import torch.nn.functional as F'] : []),
    '',
    'torch.set_printoptions(precision=6, sci_mode=False, linewidth=160)',
    ...(needsPadThenPool ? [PAD_THEN_POOL] : ['']),
    `# The input: one image, ${doc.input.channels} channel${doc.input.channels === 1 ? '' : 's'}, ${doc.input.height}×${doc.input.width} (N, C, H, W).`,
    `x = torch.tensor(${list(doc.input.data)}, dtype=torch.float32).reshape(1, ${doc.input.channels}, ${doc.input.height}, ${doc.input.width})`,
    '',
    'layers = []',
    ...doc.layers.flatMap((layer, i) => [...layerCode(layer, i + 1), '']),
    'with torch.no_grad():',
    '    out = x',
    '    for n, layer in enumerate(layers, start=1):',
    '        out = layer(out)',
    '        print(f"Layer {n} output, shape {tuple(out.shape)}")',
    '        print(out[0])',
    '',
  ].join('\n');
}
