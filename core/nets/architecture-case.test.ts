import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitectureCase, scoreArchitectureCase } from './architecture-case';

/** reference-2 beside the repo (the team's newest), else the copy in core/test-support. */
const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE_2 = [path.resolve(here, '../../../shared/reference/reference-2.json'), path.resolve(here, '../test-support/reference-2.json')].find(existsSync);
if (!REFERENCE_2) console.warn('architectures: no reference-2.json beside the repo or in core/test-support; its cases are skipped');

type Case = Record<string, unknown> & { id: string; layers: Record<string, unknown>[] };
const cases: Case[] = REFERENCE_2 ? (JSON.parse(readFileSync(REFERENCE_2, 'utf8')) as { architectures: Case[] }).architectures : [];

describe.skipIf(!REFERENCE_2)('reference-2 architectures: every block, shape and parameter count, exactly', () => {
  it('holds all eight networks', () => {
    expect(cases.map((c) => c.net).sort()).toEqual(['alexnet', 'bn_lenet', 'densenet', 'googlenet', 'lenet', 'nin', 'resnet18', 'vgg11']);
  });

  for (const c of cases) {
    it(c.id, () => {
      expect(checkArchitectureCase(c)).toEqual([]);
    });
  }

  it('fails a case whose shape, parameter count or setting is off by one', () => {
    const c = structuredClone(cases.find((k) => k.net === 'alexnet')) as Case;
    (c.layers[2].output_shape as number[])[2] = 27;
    c.layers[4].parameters = 885121;
    c.layers[7].stride = [2, 1];
    expect(checkArchitectureCase(c)).toEqual([
      'built: layers[2] (conv1): output_shape (1, 256, 26, 26), want [1,256,27,26]',
      'built: layers[4] (conv2): parameters 885120, want 885121',
      'built: layers[7] (pool2): stride [2,2], want [2,1]',
      // The case's own settings, inferred: a 2×1 stride widens pool2's output, and dense0 with it.
      'from the case: layers[2] (layer 2): output_shape (1, 256, 26, 26), want [1,256,27,26]',
      'from the case: layers[4] (layer 4): parameters 885120, want 885121',
      'from the case: layers[7] (layer 7): output_shape (1, 256, 5, 10), want [1,256,5,5]',
      'from the case: layers[8] (layer 8): parameters 52432896, want 26218496',
      "the case's parameters 46764746 are not the sum of its blocks' (46764747)",
    ]);
  });
});

describe('architecture cases that cannot be checked', () => {
  it('names the problem instead of throwing', () => {
    expect(checkArchitectureCase(null)).toEqual(['the case must be an object']);
    expect(checkArchitectureCase({ net: 'lenet5' })).toEqual(['unknown net "lenet5"']);
    expect(checkArchitectureCase({ net: 'lenet', input_shape: [1, 1, 28] })).toEqual(['input_shape must be four whole sizes ≥ 1, got [1,1,28]']);
  });

  it('reports an input the network cannot take, naming the layer and the arithmetic', () => {
    const got = checkArchitectureCase({ id: 'tiny', net: 'alexnet', input_shape: [1, 1, 66, 66], layers: [], parameters: 0 });
    expect(got[0]).toBe('built: AlexNet at 66×66: pool2 (pool): layer 12 (maxpool): the 3×3 window does not fit the input 2×2 (height: ⌊(2 + 2·0 − 3)/2⌋ + 1 = 0); the input is too small');
  });
});

describe('scoreArchitectureCase, for the conformance runner', () => {
  const fails = (c: unknown) => {
    const got: string[] = [];
    scoreArchitectureCase(c, { fail: (d) => got.push(d) });
    return got;
  };

  it('fails nothing on a good case and once, counting the rest, on a bad one', () => {
    const empty = { id: 'lenet', net: 'lenet', input_shape: [1, 1, 16, 16], layers: [], parameters: 0 };
    expect(fails(empty)).toEqual(['built: 7 blocks, want 0 (and 1 more)']);
    expect(fails({ net: 'nope' })).toEqual(['unknown net "nope"']);
  });

  it.skipIf(!REFERENCE_2)('passes every reference-2 case', () => {
    for (const c of cases) expect(fails(c)).toEqual([]);
  });
});
