"""One epoch of the book's LeNet (5.5) in PyTorch, for `npm run bench -- --lenet`: the same data, network, batch
256, SGD lr 0.9 and shuffling as ConvLab's, then the test set in eval mode. Prints one JSON line: the wall and CPU seconds taken.
With NET bn_lenet (or bn-lenet), 5.10's LeNet with batch norm after each convolution and hidden dense layer, lr 1.0. With NET
scaled and a SPEC file, a scaled-down book network: {"blocks": [...reference-2 blocks...], "side": S, "lr": X, "batch": B},
built from torch_nets_v1.py, the images resized to S×S (bilinear) batch by batch as ConvLab does.
Usage: python3 bench-lenet.py DATA_DIR THREADS [lenet|bn_lenet|scaled SPEC.json]"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'core', 'test-support'))
import torch_nets_v1 as T  # noqa: E402


def idx(path, offset):
    with gzip.open(path, 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def scaled(spec):
    """The network of `spec`'s blocks, each built at the shape it meets, in training mode."""
    x, mods = torch.zeros([2, 1, spec['side'], spec['side']]), []
    for b in spec['blocks']:
        m = T.module(b, x)
        x = m(x)
        mods.append(m)
    return nn.Sequential(*mods).train()


def main():
    data_dir, threads = sys.argv[1], int(sys.argv[2])
    bn = len(sys.argv) > 3 and sys.argv[3] in ('bn_lenet', 'bn-lenet')
    norm = (lambda layer: [layer]) if bn else (lambda layer: [])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xs = torch.from_numpy(idx(os.path.join(data_dir, 'train-images-idx3-ubyte.gz'), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    ys = torch.from_numpy(idx(os.path.join(data_dir, 'train-labels-idx1-ubyte.gz'), 8).astype(np.int64))
    xt = torch.from_numpy(idx(os.path.join(data_dir, 't10k-images-idx3-ubyte.gz'), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    yt = torch.from_numpy(idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte.gz'), 8).astype(np.int64))
    spec = None
    if len(sys.argv) > 4 and sys.argv[3] == 'scaled':
        with open(sys.argv[4]) as f:
            spec = json.load(f)
    net = scaled(spec) if spec else nn.Sequential(
        nn.Conv2d(1, 6, 5), *norm(nn.BatchNorm2d(6)), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), *norm(nn.BatchNorm2d(16)), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(256, 120), *norm(nn.BatchNorm1d(120)), nn.Sigmoid(),
        nn.Linear(120, 84), *norm(nn.BatchNorm1d(84)), nn.Sigmoid(), nn.Linear(84, 10))
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    loss = nn.CrossEntropyLoss(reduction='sum')
    opt = torch.optim.SGD(net.parameters(), lr=spec['lr'] if spec else 1.0 if bn else 0.9)
    batch = spec['batch'] if spec else 256
    side = spec['side'] if spec else 28
    fit = (lambda x: x) if side == 28 else (lambda x: F.interpolate(x, size=(side, side), mode='bilinear', align_corners=False))
    start, cpu = time.perf_counter(), time.process_time()
    order = torch.randperm(len(xs))
    for i in range(0, len(xs), batch):
        idxs = order[i:i + batch]
        opt.zero_grad()
        (loss(net(fit(xs[idxs])), ys[idxs]) / batch).backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(fit(xt[i:i + 500])).argmax(1) == yt[i:i + 500]).sum()) for i in range(0, len(xt), 500))
    print(json.dumps({'seconds': time.perf_counter() - start, 'cpu': time.process_time() - cpu, 'test_acc': correct / len(xt), 'threads': threads}))


main()
