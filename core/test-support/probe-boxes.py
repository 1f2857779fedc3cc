"""Run: python3 core/test-support/probe-boxes.py > core/test-support/probe-boxes.json

What one unit of a block's output reads in the image, measured by autograd through the book's v1 networks
(hand-off check for core/nets/probe-boxes.ts). Every weight is positive (1/fan-in), biases 0, BN in eval mode with
γ = 1, β = 0, mean 0, var 1, the input all ones, max pooling measured as average pooling of the same geometry
(as reference-1's receptive_field cases do), float64. The gradient of the unit with respect to the image is then
nonzero exactly where the unit reads, and `gradient_box` is the bounding box of those cells (inclusive).
A unit with `c` is one channel; without it, the sum over every channel at (y, x).
"""
import json, sys
import torch
import torch_nets_v1 as tn

tn.AVG_FOR_MAX = True
torch.set_default_dtype(torch.float64)

# (net, input shape, block index, unit): blocks as in reference-2's `layers`.
PROBES = [
    ('alexnet', [1, 1, 224, 224], 6, {'y': 11, 'x': 11}),    # conv5's bottom-right unit: rows 112-218, not -223
    ('alexnet', [1, 1, 224, 224], 7, {'y': 0, 'x': 0}),
    ('lenet', [1, 1, 28, 28], 4, {'y': 0, 'x': 0}),           # dense0 sees the whole image
    ('googlenet', [1, 1, 96, 96], 5, {'y': 6, 'x': 6}),       # after the first Inception block, every channel
    ('googlenet', [1, 1, 96, 96], 5, {'c': 0, 'y': 6, 'x': 6}),    # its 1x1 path
    ('googlenet', [1, 1, 96, 96], 5, {'c': 64, 'y': 6, 'x': 6}),   # its 3x3 path
    ('googlenet', [1, 1, 96, 96], 5, {'c': 200, 'y': 0, 'x': 11}), # its 5x5 path, at the top-right corner
    ('googlenet', [1, 1, 96, 96], 5, {'c': 255, 'y': 11, 'x': 0}), # its pool path
    ('googlenet', [1, 1, 96, 96], 8, {'y': 3, 'x': 2}),
    ('resnet18', [1, 1, 64, 64], 5, {'y': 0, 'x': 0}),        # after stage 2
    ('resnet18', [1, 1, 64, 64], 5, {'c': 7, 'y': 7, 'x': 7}),
    ('resnet18', [1, 1, 64, 64], 7, {'y': 1, 'x': 0}),
    ('densenet', [1, 1, 48, 48], 4, {'c': 0, 'y': 5, 'x': 5}),    # the first dense block passes its input through
    ('densenet', [1, 1, 48, 48], 4, {'c': 100, 'y': 5, 'x': 5}),  # its second conv's output
    ('densenet', [1, 1, 48, 48], 4, {'c': 191, 'y': 11, 'x': 11}),
    ('densenet', [1, 1, 48, 48], 5, {'y': 2, 'x': 3}),
    ('nin', [1, 1, 224, 224], 7, {'c': 3, 'y': 1, 'x': 1}),
]

def positive(m):
    for mod in m.modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            with torch.no_grad():
                mod.weight.fill_(1.0 / mod.weight[0].numel())
                mod.bias.zero_()
    return m.eval()

out = []
for net, shape, block, unit in PROBES:
    x = torch.ones(shape, requires_grad=True)
    y = x
    for b in tn.NETS[net][:block + 1]:
        y = positive(tn.module(b, y))(y)
    at = y[0, :, unit['y'], unit['x']] if y.dim() == 4 else y[0]  # a dense output is one 1x1 'map'
    sel = at[unit['c']] if 'c' in unit else at.sum()
    sel.backward()
    g = x.grad[0].abs().sum(0)
    rows, cols = torch.nonzero(g, as_tuple=True)
    box = {'top': int(rows.min()), 'left': int(cols.min()), 'bottom': int(rows.max()), 'right': int(cols.max())}
    out.append({'net': net, 'input_shape': shape, 'block': block, 'unit': unit, 'gradient_box': box, 'cells': int(rows.numel())})

sys.stdout.write('{"generator": "core/test-support/probe-boxes.py", "torch_version": "%s", "probes": [\n' % torch.__version__)
sys.stdout.write(',\n'.join(json.dumps(p, separators=(',', ':')) for p in out) + '\n]}\n')
