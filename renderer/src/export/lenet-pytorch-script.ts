/**
 * A trained LeNet as a standalone PyTorch script: it rebuilds the exact network (ConvLab's layer order, activation
 * and pooling), loads the weights embedded in it (base64 float32 little-endian, as the lab file keeps them), and
 * prints the top class and the ten probabilities for a few embedded images, beside what ConvLab answered.
 */
import type { SavedNet } from '../../../electron/contract/lab-file-v3';
import { encodeFloats } from '../../../electron/contract/lab-file-v3';

export interface ScriptImage {
  /** 28×28 grey values in [0, 1], row-major (a test image ÷ 255, or a drawing). */
  pixels: ArrayLike<number>;
  /** The true class of a test image; null for a drawing. */
  label: number | null;
  /** ConvLab's probabilities for this image, printed for comparison. */
  probabilities: readonly number[];
}

const ACTIVATION = { sigmoid: 'nn.Sigmoid()', relu: 'nn.ReLU()', tanh: 'nn.Tanh()' } as const;

/**
 * ConvLab's LeNet layers with PyTorch's modules: ConvLab's Dense flattens its input itself, PyTorch's Linear needs an
 * nn.Flatten before the first one, so the Linear layers sit one index later in the Sequential than in ConvLab.
 */
function modules(net: SavedNet): { code: string[]; torchIndex: Map<string, number> } {
  const { activation, pooling, channels } = net.settings;
  const [c1, c2] = channels;
  const act = ACTIVATION[activation];
  const pool = pooling === 'max' ? 'nn.MaxPool2d(kernel_size=2, stride=2)' : 'nn.AvgPool2d(kernel_size=2, stride=2)';
  const code = [
    `nn.Conv2d(1, ${c1}, kernel_size=5)`, act, pool,
    `nn.Conv2d(${c1}, ${c2}, kernel_size=5)`, act, pool,
    'nn.Flatten()',
    `nn.Linear(${c2 * 4 * 4}, 120)`, act,
    'nn.Linear(120, 84)', act,
    'nn.Linear(84, 10)',
  ];
  // ConvLab layer index → PyTorch module index.
  const torchIndex = new Map([[0, 0], [3, 3], [6, 7], [8, 9], [10, 11]].map(([from, to]) => [String(from), to]));
  return { code, torchIndex };
}

const wrap = (text: string, width = 96) => {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(`    "${text.slice(i, i + width)}"`);
  return lines.join('\n');
};

export function lenetPytorchScript(net: SavedNet, images: readonly ScriptImage[], classNames: readonly string[]): string {
  const { code, torchIndex } = modules(net);
  const weights = net.params.map((t) => {
    const [layer, role] = [t.path.slice(0, t.path.lastIndexOf('.')), t.path.slice(t.path.lastIndexOf('.') + 1)];
    const key = `${torchIndex.get(layer)}.${role}`;
    return `WEIGHTS[${JSON.stringify(key)}] = (${JSON.stringify(t.shape)}, (\n${wrap(t.data)}\n))  # ConvLab's ${t.path}`;
  });
  const imageLines = images.map(
    (image, i) =>
      `IMAGES.append((${image.label === null ? 'None' : image.label}, (\n${wrap(encodeFloats(image.pixels))}\n), ${JSON.stringify(Array.from(image.probabilities, (p) => Number(p.toPrecision(8))))}))  # image ${i}`,
  );
  const s = net.settings;
  return `#!/usr/bin/env python3
"""The LeNet trained in ConvLab (d2l 5.5), rebuilt in PyTorch with its trained weights.

Settings: activation ${s.activation}, ${s.pooling} pooling, conv channels ${s.channels[0]} and ${s.channels[1]}, lr ${s.lr},
batch ${s.batchSize}, ${s.epochs} epoch(s), seed ${s.seed}, momentum ${s.momentum}.
${net.history.epochs.map((e) => `ConvLab's log: ${e.line}`).join('\n')}

Weights and images are embedded as base64 of float32 little-endian values. Images are 28x28 grey values in [0, 1]
(the dataset's bytes / 255, no normalisation, as the book does). Run it with: python3 this_file.py
"""
import base64
import struct

import torch
from torch import nn

CLASSES = ${JSON.stringify(classNames)}


def floats(text, shape):
    raw = base64.b64decode(text)
    values = struct.unpack("<%df" % (len(raw) // 4), raw)
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


WEIGHTS = {}
${weights.join('\n')}

# (true class or None, pixels, ConvLab's probabilities)
IMAGES = []
${imageLines.join('\n')}

net = nn.Sequential(
${code.map((line) => `    ${line},`).join('\n')}
)
net.load_state_dict({key: floats(text, shape) for key, (shape, text) in WEIGHTS.items()})
net.eval()

with torch.no_grad():
    for i, (label, pixels, convlab) in enumerate(IMAGES):
        x = floats(pixels, (1, 1, 28, 28))
        p = torch.softmax(net(x), dim=1)[0]
        top = int(p.argmax())
        truth = "drawing" if label is None else "true class %d %s" % (label, CLASSES[label])
        print("image %d (%s): top class %d %s, p %.4f" % (i, truth, top, CLASSES[top], float(p[top])))
        print("  probabilities " + " ".join("%.8f" % float(v) for v in p))
        print("  ConvLab says  " + " ".join("%.8f" % v for v in convlab))
`;
}
