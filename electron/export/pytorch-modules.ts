/**
 * The layer table's PyTorch direction: for each layer kind, the torch.nn module that computes it, so the script
 * writer loops over a network's layers and looks each one's module up here. Module names follow ConvLab's layer
 * paths ("3.body.0"), so the state dict's keys are the paths with PyTorch's role names: "3.body.0.weight",
 * "1.running_mean". A kind missing here is refused by name.
 */
import { ConvLabError } from '../../core/errors';
import type { Pair } from '../../core/geometry';
import type { AvgPoolSpec } from '../../core/layers/avgpool';
import type { BatchNormSpec } from '../../core/layers/batchnorm';
import type { ConcatSpec } from '../../core/layers/concat';
import type { Conv2dSpec } from '../../core/layers/conv2d';
import type { DenseSpec } from '../../core/layers/dense';
import type { DropoutSpec } from '../../core/layers/dropout';
import type { AnySpec, ParamRole } from '../../core/layers/kind';
import type { MaxPoolSpec } from '../../core/layers/maxpool';
import type { ResidualSpec } from '../../core/layers/residual';

/** What a row may ask of the writer: nested lists as nn.Sequential code, and the rank of the input a layer meets. */
export interface ModuleWriter {
  sequential(list: readonly AnySpec[], prefix: string, depth: number): string;
  inputRank(path: string): number;
}

type ModuleEmitter = (spec: AnySpec, w: ModuleWriter, path: string, depth: number) => string;

/** ConvLab's parameter roles under PyTorch's names (batch norm's γ and β are its weight and bias). */
export const TORCH_ROLE: Readonly<Record<ParamRole, string>> = {
  weight: 'weight', bias: 'bias', gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_var: 'running_var',
};

/** The Python classes the modules below use beyond torch.nn's own, emitted once at the top of the script. */
export const HELPER_CLASSES = `class Dense(nn.Linear):
    """Gluon's Dense, as the book's networks use it: an NCHW input is flattened first."""

    def forward(self, x):
        return super().forward(x.flatten(1))


class Residual(nn.Module):
    """relu(body(x) + shortcut(x)), the book's Residual (5.11); an empty shortcut passes x through."""

    def __init__(self, body, shortcut):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return F.relu(self.body(x) + self.shortcut(x))


class Concat(nn.Module):
    """Every branch reads x; their outputs side by side along channels (Inception, DenseNet)."""

    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


class PadPool(nn.Module):
    """A pooling whose padding is wider than half its window, which PyTorch's pooling refuses and the book's MXNet
    allows: it pads first (max: with -inf, so padding never wins; average: with 0, counted or not)."""

    def __init__(self, mode, kernel_size, stride, padding, count_include_pad=True):
        super().__init__()
        self.mode, self.kernel_size, self.stride, self.count_include_pad = mode, kernel_size, stride, count_include_pad
        self.pad = (padding[1], padding[1], padding[0], padding[0])

    def forward(self, x):
        if self.mode == "max":
            return F.max_pool2d(F.pad(x, self.pad, value=float("-inf")), self.kernel_size, self.stride)
        total = F.avg_pool2d(F.pad(x, self.pad), self.kernel_size, self.stride)
        if self.count_include_pad:
            return total
        return total / F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), self.pad), self.kernel_size, self.stride)
`;

const tuple = (p: readonly number[]): string => `(${p.join(', ')})`;
const bool = (b: boolean): string => (b ? 'True' : 'False');
const tooWide = (s: MaxPoolSpec | AvgPoolSpec): boolean => s.padding.some((p, k) => 2 * p > s.kernel[k]);

function pool(s: MaxPoolSpec | AvgPoolSpec, mode: 'max' | 'avg'): string {
  const count = mode === 'avg' ? (s as AvgPoolSpec).countIncludePad : true;
  if (tooWide(s)) return `PadPool("${mode}", ${tuple(s.kernel)}, ${tuple(s.stride)}, ${tuple(s.padding)}, count_include_pad=${bool(count)})`;
  const window = `${tuple(s.kernel)}, stride=${tuple(s.stride)}, padding=${tuple(s.padding)}`;
  return mode === 'max' ? `nn.MaxPool2d(${window})` : `nn.AvgPool2d(${window}, count_include_pad=${bool(count)})`;
}

const ONE: Pair = [1, 1];

const EMITTERS: Readonly<Record<string, ModuleEmitter>> = {
  conv2d(spec) {
    const s = spec as Conv2dSpec;
    return `nn.Conv2d(${s.inChannels}, ${s.outChannels}, kernel_size=${tuple(s.kernel)}, stride=${tuple(s.stride)}, padding=${tuple(s.padding)}, dilation=${tuple(s.dilation ?? ONE)})`;
  },
  dense: (spec) => `Dense(${(spec as DenseSpec).inFeatures}, ${(spec as DenseSpec).outFeatures})`,
  maxpool: (spec) => pool(spec as MaxPoolSpec, 'max'),
  avgpool: (spec) => pool(spec as AvgPoolSpec, 'avg'),
  relu: () => 'nn.ReLU()',
  sigmoid: () => 'nn.Sigmoid()',
  tanh: () => 'nn.Tanh()',
  dropout: (spec) => `nn.Dropout(${(spec as DropoutSpec).rate})`,
  flatten: () => 'nn.Flatten()',
  global_avg_pool: () => 'nn.AdaptiveAvgPool2d(1)',
  batchnorm(spec, w, path) {
    const s = spec as BatchNormSpec;
    // ConvLab's momentum weighs the old statistics (moving = m·moving + (1 − m)·batch); PyTorch's weighs the batch.
    return `nn.BatchNorm${w.inputRank(path) === 4 ? '2d' : '1d'}(${s.channels}, eps=${s.eps}, momentum=${Number((1 - s.momentum).toPrecision(12))})`;
  },
  residual(spec, w, path, depth) {
    const s = spec as ResidualSpec;
    return `Residual(\n${'    '.repeat(depth + 1)}${w.sequential(s.body, `${path}.body`, depth + 1)},\n${'    '.repeat(depth + 1)}${w.sequential(s.shortcut, `${path}.shortcut`, depth + 1)},\n${'    '.repeat(depth)})`;
  },
  concat(spec, w, path, depth) {
    const branches = (spec as ConcatSpec).branches.map((list, j) => `${'    '.repeat(depth + 1)}${w.sequential(list, `${path}.branches.${j}`, depth + 1)},\n`);
    return `Concat(\n${branches.join('')}${'    '.repeat(depth)})`;
  },
};

/** The torch.nn code of `spec`'s layer; a kind without a module is refused by name. */
export function torchModule(spec: AnySpec, w: ModuleWriter, path: string, depth: number): string {
  const emit = EMITTERS[spec.type];
  if (emit === undefined) {
    throw new ConvLabError('format', `layer ${path} (${spec.type}) has no PyTorch module; ConvLab writes: ${Object.keys(EMITTERS).join(', ')}`);
  }
  return emit(spec, w, path, depth);
}
