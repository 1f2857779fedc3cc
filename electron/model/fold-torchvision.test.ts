// torchvision's own exports, made at test time by Debian's PyTorch (they are too large to commit): every shape
// subgraph folds for a static input, and every node's output shape is told, the last one as PyTorch's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureIo } from './fixture-paths';
import { foldShapes } from './fold-shapes';
import { openModel } from './read-onnx';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, onnx'], { encoding: 'utf8' }).status === 0;
const MODELS = ['shufflenet_v2_x0_5', 'mobilenet_v3_small', 'googlenet', 'squeezenet1_0'];
const SHAPE_OPS = new Set(['Shape', 'Size', 'Gather', 'Unsqueeze', 'Squeeze', 'ConstantOfShape', 'Cast', 'Constant', 'Range']);

describe.skipIf(!hasTorch)("folding torchvision's exports (symbolic batch size, opsets 13 and 17)", () => {
  const folder = hasTorch ? mkdtempSync(join(tmpdir(), 'convlab-torchvision-')) : '';

  beforeAll(() => {
    for (const opset of [13, 17]) {
      const made = spawnSync(PYTHON, [join(FIXTURES, 'make-onnx-fixtures.py'), '--torchvision', MODELS.join(','), '--out', join(folder, `${opset}`), '--size', '64', '--opset', `${opset}`], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
    }
  }, 300_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  for (const opset of [13, 17]) {
    for (const name of MODELS) {
      it(`${name} at opset ${opset}`, async () => {
        const path = join(folder, `${opset}`, `${name}.onnx`);
        const { model, shapes } = foldShapes(await openModel(path));
        expect(model.nodes.filter((n) => SHAPE_OPS.has(n.op)).map((n) => n.name)).toEqual([]);
        expect(model.nodes.filter((n) => n.outputs.some((o) => !shapes.has(o))).map((n) => n.name)).toEqual([]);
        expect(shapes.get(model.outputs[0].name)).toEqual(fixtureIo(path).outputs[0].shape);
      });
    }
  }
});
if (!hasTorch) console.log(`skipped: folding torchvision's exports needs ${PYTHON} with torch, torchvision and onnx (apt install python3-torch python3-torchvision python3-onnx)`);
