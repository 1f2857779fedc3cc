"""The book's chapter-5 networks (d2l-zh v1) in PyTorch, block by block in reference-2's `architectures` format.

Shared by architectures-other-sizes.py and probe-boxes.py (hand-off checks; tests read their JSON, not torch).
`avg_for_max` builds max pools as average pools of the same geometry, so a gradient reaches every cell of a window.
"""
import torch
from torch import nn

AVG_FOR_MAX = False

class Act(nn.Module):
    def __init__(self, a): super().__init__(); self.f = {'relu': torch.relu, 'sigmoid': torch.sigmoid}[a]
    def forward(self, x): return self.f(x)

def conv(cin, c, k, s=1, p=0, act=None):
    m = [nn.Conv2d(cin, c, k, s, p)]
    if act: m.append(Act(act))
    return nn.Sequential(*m)

class Dense(nn.Module):
    def __init__(self, f, units, act=None):
        super().__init__(); self.l = nn.Linear(f, units); self.a = Act(act) if act else None
    def forward(self, x):
        y = self.l(x.reshape(x.shape[0], -1))
        return self.a(y) if self.a else y

class Inception(nn.Module):
    def __init__(self, cin, c1, c2, c3, c4):
        super().__init__()
        self.p1 = conv(cin, c1, 1, act='relu')
        self.p2 = nn.Sequential(conv(cin, c2[0], 1, act='relu'), conv(c2[0], c2[1], 3, 1, 1, 'relu'))
        self.p3 = nn.Sequential(conv(cin, c3[0], 1, act='relu'), conv(c3[0], c3[1], 5, 1, 2, 'relu'))
        self.p4 = nn.Sequential(nn.AvgPool2d(3, 1, 1) if AVG_FOR_MAX else nn.MaxPool2d(3, 1, 1), conv(cin, c4, 1, act='relu'))
    def forward(self, x): return torch.cat([self.p1(x), self.p2(x), self.p3(x), self.p4(x)], 1)

class Residual(nn.Module):
    def __init__(self, cin, c, use1x1, s):
        super().__init__()
        self.c1 = nn.Conv2d(cin, c, 3, s, 1); self.c2 = nn.Conv2d(c, c, 3, 1, 1)
        self.c3 = nn.Conv2d(cin, c, 1, s) if use1x1 else None
        self.b1 = nn.BatchNorm2d(c); self.b2 = nn.BatchNorm2d(c)
    def forward(self, x):
        y = self.b2(self.c2(torch.relu(self.b1(self.c1(x)))))
        return torch.relu(y + (self.c3(x) if self.c3 else x))

class DenseBlock(nn.Module):
    def __init__(self, cin, n, g):
        super().__init__()
        self.blks = nn.ModuleList([nn.Sequential(nn.BatchNorm2d(cin + i * g), nn.ReLU(), nn.Conv2d(cin + i * g, g, 3, 1, 1)) for i in range(n)])
    def forward(self, x):
        for b in self.blks: x = torch.cat([x, b(x)], 1)
        return x

class GAP(nn.Module):
    def forward(self, x): return x.mean(dim=(2, 3), keepdim=True)

def bn(x): return nn.BatchNorm2d(x.shape[1]) if x.dim() == 4 else nn.BatchNorm1d(x.shape[1])

def module(b, x):
    k = b['kind']
    if k == 'conv': return conv(x.shape[1], b['channels'], b['kernel'], b['stride'], b['padding'], b.get('activation'))
    if k == 'pool':
        return (nn.MaxPool2d if b['mode'] == 'max' and not AVG_FOR_MAX else nn.AvgPool2d)(b['kernel'], b['stride'], b['padding'])
    if k == 'dense': return Dense(x[0].numel(), b['units'], b.get('activation'))
    if k == 'dropout': return nn.Dropout(b['rate'])
    if k == 'flatten': return nn.Flatten()
    if k == 'batchnorm': return bn(x)
    if k == 'activation': return Act(b['activation'])
    if k == 'global_avg_pool': return GAP()
    if k == 'vgg_block':
        m, c = [], x.shape[1]
        for _ in range(b['num_convs']): m.append(conv(c, b['channels'], 3, 1, 1, 'relu')); c = b['channels']
        return nn.Sequential(*m, nn.MaxPool2d(2, 2))
    if k == 'nin_block':
        c = b['channels']
        return nn.Sequential(conv(x.shape[1], c, b['kernel'], b['stride'], b['padding'], 'relu'), conv(c, c, 1, act='relu'), conv(c, c, 1, act='relu'))
    if k == 'inception': return Inception(x.shape[1], b['c1'], b['c2'], b['c3'], b['c4'])
    if k == 'residual_stage':
        m, c = [], x.shape[1]
        for i in range(b['num_residuals']):
            first = i == 0 and not b['first_block']
            m.append(Residual(c, b['channels'], first, 2 if first else 1)); c = b['channels']
        return nn.Sequential(*m)
    if k == 'dense_block': return DenseBlock(x.shape[1], b['num_convs'], b['growth_rate'])
    if k == 'transition':
        return nn.Sequential(nn.BatchNorm2d(x.shape[1]), nn.ReLU(), nn.Conv2d(x.shape[1], b['channels'], 1), nn.AvgPool2d(2, 2))
    raise ValueError(k)

def C(c, k, s=1, p=0, act=None):
    d = {'kind': 'conv', 'channels': c, 'kernel': [k, k], 'stride': [s, s], 'padding': [p, p]}
    if act: d['activation'] = act
    return d
def P(k, s, p=0, mode='max'): return {'kind': 'pool', 'mode': mode, 'kernel': [k, k], 'stride': [s, s], 'padding': [p, p]}
def D(u, act=None): return {'kind': 'dense', 'units': u, **({'activation': act} if act else {})}
DO = {'kind': 'dropout', 'rate': 0.5}
BN = {'kind': 'batchnorm'}
GAPB = {'kind': 'global_avg_pool'}
def A(a): return {'kind': 'activation', 'activation': a}

def staged(stage, blocks): return [{**b, 'stage': stage} for b in blocks]
def inc(c1, c2, c3, c4): return {'kind': 'inception', 'c1': c1, 'c2': c2, 'c3': c3, 'c4': c4}
def nin(c, k, s, p): return {'kind': 'nin_block', 'channels': c, 'kernel': [k, k], 'stride': [s, s], 'padding': [p, p]}

def densenet():
    bl = [C(64, 7, 2, 3), BN, A('relu'), P(3, 2, 1)]
    ch = 64
    for i in range(4):
        bl.append({'kind': 'dense_block', 'num_convs': 4, 'growth_rate': 32}); ch += 4 * 32
        if i != 3: ch //= 2; bl.append({'kind': 'transition', 'channels': ch})
    return bl + [BN, A('relu'), GAPB, D(10)]

NETS = {
    'lenet': [C(6, 5, act='sigmoid'), P(2, 2), C(16, 5, act='sigmoid'), P(2, 2), D(120, 'sigmoid'), D(84, 'sigmoid'), D(10)],
    'bn_lenet': [C(6, 5), BN, A('sigmoid'), P(2, 2), C(16, 5), BN, A('sigmoid'), P(2, 2), D(120), BN, A('sigmoid'), D(84), BN, A('sigmoid'), D(10)],
    'alexnet': [C(96, 11, 4, 0, 'relu'), P(3, 2), C(256, 5, 1, 2, 'relu'), P(3, 2), C(384, 3, 1, 1, 'relu'), C(384, 3, 1, 1, 'relu'),
                C(256, 3, 1, 1, 'relu'), P(3, 2), D(4096, 'relu'), DO, D(4096, 'relu'), DO, D(10)],
    'vgg11': [{'kind': 'vgg_block', 'num_convs': n, 'channels': c} for n, c in ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))]
             + [D(4096, 'relu'), DO, D(4096, 'relu'), DO, D(10)],
    'nin': [nin(96, 11, 4, 0), P(3, 2), nin(256, 5, 1, 2), P(3, 2), nin(384, 3, 1, 1), P(3, 2), DO, nin(10, 3, 1, 1), GAPB, {'kind': 'flatten'}],
    'googlenet': staged('b1', [C(64, 7, 2, 3, 'relu'), P(3, 2, 1)]) + staged('b2', [C(64, 1, act='relu'), C(192, 3, 1, 1, 'relu'), P(3, 2, 1)])
        + staged('b3', [inc(64, [96, 128], [16, 32], 32), inc(128, [128, 192], [32, 96], 64), P(3, 2, 1)])
        + staged('b4', [inc(192, [96, 208], [16, 48], 64), inc(160, [112, 224], [24, 64], 64), inc(128, [128, 256], [24, 64], 64),
                        inc(112, [144, 288], [32, 64], 64), inc(256, [160, 320], [32, 128], 128), P(3, 2, 1)])
        + staged('b5', [inc(256, [160, 320], [32, 128], 128), inc(384, [192, 384], [48, 128], 128), GAPB]) + [D(10)],
    'resnet18': [C(64, 7, 2, 3), BN, A('relu'), P(3, 2, 1)]
        + [{'kind': 'residual_stage', 'channels': c, 'num_residuals': 2, 'first_block': c == 64} for c in (64, 128, 256, 512)] + [GAPB, D(10)],
    'densenet': densenet(),
}

