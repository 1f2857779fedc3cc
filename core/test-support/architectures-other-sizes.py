"""Run: python3 core/test-support/architectures-other-sizes.py > core/test-support/architectures-other-sizes.json

Architecture cases at other input sizes, computed by PyTorch from the book's v1 definitions (hand-off check).

Writes JSON in reference-2's `architectures` format: each top-level block with its kind, settings, output_shape
and parameter count, counted by PyTorch (module.parameters()), shapes by running zeros through the modules.
"""
import json, sys
import torch
from torch_nets_v1 import NETS, module

SIZES = [('lenet', [1, 1, 16, 16]), ('lenet', [2, 3, 32, 40]), ('bn_lenet', [4, 1, 20, 20]), ('bn_lenet', [2, 3, 28, 36]),
         ('alexnet', [1, 1, 67, 67]), ('alexnet', [2, 3, 227, 227]), ('vgg11', [1, 1, 32, 32]), ('vgg11', [1, 3, 64, 48]),
         ('nin', [1, 1, 67, 67]), ('nin', [1, 3, 100, 120]), ('googlenet', [1, 1, 1, 1]), ('googlenet', [1, 3, 224, 224]),
         ('resnet18', [1, 1, 96, 96]), ('resnet18', [2, 3, 33, 33]), ('resnet18', [1, 1, 1, 1]),
         ('densenet', [1, 1, 29, 29]), ('densenet', [1, 3, 224, 160])]

def runs(net, shape):
    x = torch.zeros(shape)
    try:
        for b in NETS[net]: x = module(b, x).eval()(x)
        return True
    except RuntimeError:
        return False

out = []
torch.set_grad_enabled(False)
# The smallest square side each network takes (one channel), found by trying 1, 2, 3, …
smallest = {net: next(s for s in range(1, 300) if runs(net, [1, 1, s, s])) for net in NETS}
for net, shape in SIZES:
    x = torch.zeros(shape)
    layers = []
    for b in NETS[net]:
        m = module(b, x).eval()
        x = m(x)
        layers.append({**b, 'output_shape': list(x.shape), 'parameters': sum(p.numel() for p in m.parameters())})
    out.append({'id': f"{net}_n{shape[0]}c{shape[1]}_{shape[2]}x{shape[3]}", 'net': net, 'input_shape': shape,
                'layers': layers, 'parameters': sum(l['parameters'] for l in layers)})
# One case per line, as in reference-2, so grep finds one.
head = {'generator': 'core/test-support/architectures-other-sizes.py', 'torch_version': torch.__version__, 'smallest_side': smallest}
sys.stdout.write(json.dumps(head)[:-1] + ', "architectures": [\n' + ',\n'.join(json.dumps(c, separators=(',', ':')) for c in out) + '\n]}\n')
