"""One epoch of the book's LeNet (5.5) in PyTorch, for `npm run bench -- --lenet`: the same data, network, batch
256, SGD lr 0.9 and shuffling as ConvLab's, then the test set in eval mode. Prints one JSON line: the wall and CPU seconds taken.
With NET bn_lenet (or bn-lenet), 5.10's LeNet with batch norm after each convolution and hidden dense layer, lr 1.0.
Usage: python3 bench-lenet.py DATA_DIR THREADS [lenet|bn_lenet]"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def idx(path, offset):
    with gzip.open(path, 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


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
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5), *norm(nn.BatchNorm2d(6)), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), *norm(nn.BatchNorm2d(16)), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(256, 120), *norm(nn.BatchNorm1d(120)), nn.Sigmoid(),
        nn.Linear(120, 84), *norm(nn.BatchNorm1d(84)), nn.Sigmoid(), nn.Linear(84, 10))
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    loss = nn.CrossEntropyLoss(reduction='sum')
    opt = torch.optim.SGD(net.parameters(), lr=1.0 if bn else 0.9)
    batch = 256
    start, cpu = time.perf_counter(), time.process_time()
    order = torch.randperm(len(xs))
    for i in range(0, len(xs), batch):
        idxs = order[i:i + batch]
        opt.zero_grad()
        (loss(net(xs[idxs]), ys[idxs]) / batch).backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(xt[i:i + 500]).argmax(1) == yt[i:i + 500]).sum()) for i in range(0, len(xt), 500))
    print(json.dumps({'seconds': time.perf_counter() - start, 'cpu': time.process_time() - cpu, 'test_acc': correct / len(xt), 'threads': threads}))


main()
