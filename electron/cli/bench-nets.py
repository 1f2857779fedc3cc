"""A book network in PyTorch with ConvLab's own weights, for `npm run bench -- --nets`: exported to ONNX (opset 13)
for onnxruntime, and its forward timed on 1 and 2 threads.

Usage: python3 bench-nets.py SPEC.json
SPEC: {"blocks": [...reference-2 blocks...], "input": [N, C, H, W], "weights": "FILE.f32", "onnx": "OUT.onnx" or null,
       "batches": [1, 32], "threads": [1, 2], "budget": seconds per timing}
The weights file holds every parameter tensor of ConvLab's model (float32, little-endian) in ConvLab's order, which is
the order the layers run in: conv and dense weight then bias; batch norm gamma, beta, moving mean, moving variance.
Prints one JSON line: {"torch": {"THREADS": {"BATCH": ms}}}.
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'core', 'test-support'))
import torch_nets_v1 as T  # noqa: E402


def build(blocks, shape):
    """The network block by block, each built at the shape it meets (torch_nets_v1.module reads it)."""
    x, mods = torch.zeros(shape), []
    with torch.no_grad():
        for b in blocks:
            m = T.module(b, x)
            m.eval()
            x = m(x)
            mods.append(m)
    return nn.Sequential(*mods).eval()


def load(net, shape, path):
    """ConvLab's weights into `net`, taking its layers in the order a forward pass reaches them."""
    order = []
    hooks = [m.register_forward_pre_hook(lambda m, _i: order.append(m) if m not in order else None)
             for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear, nn.BatchNorm1d, nn.BatchNorm2d))]
    with torch.no_grad():
        net(torch.zeros(shape))
    for h in hooks:
        h.remove()
    flat, at = np.fromfile(path, dtype='<f4'), 0
    with torch.no_grad():
        for m in order:
            tensors = [m.weight, m.bias] if isinstance(m, (nn.Conv2d, nn.Linear)) else [m.weight, m.bias, m.running_mean, m.running_var]
            for t in tensors:
                n = t.numel()
                if at + n > flat.size:
                    raise ValueError(f'the weights file holds {flat.size} values; layer {m} needs more')
                t.copy_(torch.from_numpy(flat[at:at + n].copy()).reshape(t.shape))
                at += n
    if at != flat.size:
        raise ValueError(f'the weights file holds {flat.size} values but the network takes {at}')


def timed(net, x, budget):
    """Median milliseconds of one forward pass: a warm-up call, then calls until `budget` seconds (3 at least)."""
    with torch.no_grad():
        net(x)
        times, start = [], time.perf_counter()
        while len(times) < 3 or (len(times) < 15 and time.perf_counter() - start < budget):
            t0 = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    shape = spec['input']
    net = build(spec['blocks'], shape)
    load(net, shape, spec['weights'])
    if spec.get('onnx'):
        torch.onnx.export(net, torch.zeros(shape), spec['onnx'], opset_version=13, input_names=['input'], output_names=['output'],
                          dynamic_axes={'input': {0: 'n'}, 'output': {0: 'n'}})
    out = {}
    for threads in spec.get('threads', []):
        torch.set_num_threads(threads)
        out[str(threads)] = {str(b): timed(net, torch.rand([b] + shape[1:]), spec.get('budget', 2)) for b in spec['batches']}
    print(json.dumps({'torch': out}))


main()
