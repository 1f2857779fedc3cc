/**
 * Any network ConvLab holds as one standalone PyTorch script: the model as an nn.Module whose module names are
 * ConvLab's layer paths, its weights embedded as base64 of float32 little-endian values (no .pt file: the script
 * reads them with torch alone), and the training code of pytorch-train.ts that runs unchanged under torchrun.
 */
import { ConvLabError } from '../../core/errors';
import type { ParamRole } from '../../core/layers/kind';
import { inferSpec } from '../../core/nets/infer';
import type { NetSpec, Params } from '../../core/nets/model';
import { checkParams, layerPath, paramSlots } from '../../core/nets/params';
import { encodeFloats } from '../contract/float-base64';
import { flipKernel } from '../model/flip-kernel';
import { HELPER_CLASSES, TORCH_ROLE, torchModule, type ModuleWriter } from './pytorch-modules';
import { TRAIN_CODE } from './pytorch-train';

/** The training settings the script starts from (its flags override them). */
export interface ScriptSettings {
  lr: number;
  batch: number;
  epochs: number;
}

/** What to write: a network, its parameters by path, the NCHW input it reads, and how to train it. */
export interface PytorchExport {
  /** "LeNet", "ResNet-18 (widths ÷ 8)", "lab". */
  title: string;
  spec: NetSpec;
  params: Params;
  input: readonly number[];
  settings: ScriptSettings;
  /** Lines said about the weights (ConvLab's log of the run that trained them), quoted in the docstring. */
  notes?: readonly string[];
}

/** The state-dict key of parameter `path` ("1.gamma" → "1.weight", "1.moving_var" → "1.running_var"). */
export function torchKey(path: string): string {
  const dot = path.lastIndexOf('.');
  return `${path.slice(0, dot)}.${TORCH_ROLE[path.slice(dot + 1) as ParamRole]}`;
}

/** The model's code: build_net() returning the network as nested nn.Sequential, Residual and Concat modules. */
function modelCode(spec: NetSpec, input: readonly number[]): string {
  const ranks = new Map(inferSpec(spec, input).rows.map((r) => [r.path, r.input.length]));
  const writer: ModuleWriter = {
    sequential(list, prefix, depth) {
      if (list.length === 0) return 'nn.Sequential()';
      const items = list.map((l, i) => `${'    '.repeat(depth + 1)}${torchModule(l, writer, layerPath(prefix, i), depth + 1)},\n`);
      return `nn.Sequential(\n${items.join('')}${'    '.repeat(depth)})`;
    },
    inputRank: (path) => ranks.get(path) ?? 4,
  };
  return `def build_net():\n    return ${writer.sequential(spec, '', 1)}\n`;
}

/** Every parameter in model order, a flipped convolution's kernel flipped (PyTorch cross-correlates), in one blob. */
function weightsBlob(spec: NetSpec, params: Params, input: readonly number[]): { index: string; base64: string } {
  const flipped = new Set(inferSpec(spec, input).rows.filter((r) => r.spec.type === 'conv2d' && r.spec.flip === true).map((r) => `${r.path}.weight`));
  const slots = paramSlots(spec);
  const all = new Float32Array(slots.reduce((n, s) => n + params.get(s.path)!.data.length, 0));
  let offset = 0;
  for (const s of slots) {
    const t = params.get(s.path)!;
    all.set(flipped.has(s.path) ? flipKernel(t.data, t.shape) : t.data, offset);
    offset += t.data.length;
  }
  const index = slots.map((s) => `    (${JSON.stringify(torchKey(s.path))}, ${JSON.stringify(s.shape)}),  # ConvLab's ${s.path}`).join('\n');
  return { index, base64: encodeFloats(all) };
}

const wrapped = (text: string, width = 100): string => {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join('\n');
};

/**
 * The script's text. The network's shapes are checked at its input first (errors name the layer and the rule), its
 * parameters against them; a kind without a PyTorch module is refused by name.
 */
export function pytorchScript(x: PytorchExport): string {
  const output = inferSpec(x.spec, x.input).output;
  if (output.length !== 2) throw new ConvLabError('shape', `${x.title} gives ${output.join('×')} maps, not N×classes scores: a training script needs a classifier`);
  checkParams(x.spec, x.params);
  const { index, base64 } = weightsBlob(x.spec, x.params, x.input);
  const [, channels, side] = x.input;
  const s = x.settings;
  return `#!/usr/bin/env python3
"""${x.title}, exported by ConvLab: the network as an nn.Module (its module names are ConvLab's layer paths), its
weights, and the book's training loop (minibatch SGD on softmax cross-entropy, one log line per epoch).
${(x.notes ?? []).map((n) => `${n}\n`).join('')}
One process:      python3 this_file.py [--data FASHION_MNIST_DIR | --image-folder DIR] [--epochs N] [--lr X] [--batch N]
N processes:      torchrun --nproc_per_node N this_file.py ...   (DistributedDataParallel: gloo on CPUs, nccl on GPUs)
                  (PyTorch 1.13 on Python 3.11: add --redirects 2 --tee 2, its launcher's default output flags fail there)
Weights are base64 of float32 little-endian values, in the order of WEIGHT_INDEX; --fresh ignores them.
"""
import argparse
import array
import base64
import gzip
import json
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data.distributed import DistributedSampler

TITLE = ${JSON.stringify(x.title)}
SIDE = ${side}
CHANNELS = ${channels}
CLASSES = ${output[1]}
SETTINGS = {"lr": ${s.lr}, "batch": ${s.batch}, "epochs": ${s.epochs}}


${HELPER_CLASSES}

${modelCode(x.spec, x.input)}

WEIGHT_INDEX = [
${index}
]

WEIGHTS = """
${wrapped(base64)}
"""


def load_weights(net):
    """ConvLab's weights into net: the blob's values cut by WEIGHT_INDEX into the state dict."""
    values = array.array("f")
    values.frombytes(base64.b64decode("".join(WEIGHTS.split())))
    if sys.byteorder == "big":
        values.byteswap()
    values = torch.frombuffer(values, dtype=torch.float32).clone()
    state, offset = {}, 0
    for key, shape in WEIGHT_INDEX:
        count = 1
        for d in shape:
            count *= d
        state[key] = values[offset:offset + count].reshape(shape)
        offset += count
    missing, unexpected = net.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("the weights do not fit the network: missing %s, unexpected %s" % (missing, unexpected))


${TRAIN_CODE}`;
}
