// torchvision's classifiers (random weights) exported at test time by Debian's PyTorch and run by core's graph
// runner: every output within 1e-4 of PyTorch's, relative to the output's largest magnitude. CI runs a few small
// ones; CONVLAB_TORCHVISION_SWEEP=all runs the whole list at several sizes and both opsets (minutes, by hand).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../core/graph/index';
import { FIXTURES, fixtureIo } from './fixture-paths';
import { foldShapes } from './fold-shapes';
import { openModel } from './read-onnx';
import { toGraph } from './to-graph';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, onnx'], { encoding: 'utf8' }).status === 0;

/** [models, input side, opset] per export. */
type Batch = [string[], number, number];
const SMALL: Batch[] = [
  [['resnet18', 'mobilenet_v3_small', 'shufflenet_v2_x0_5', 'squeezenet1_1'], 64, 13],
  [['mnasnet0_5', 'regnet_x_400mf'], 64, 17],
];
const ALL_SMALL = ['resnet18', 'resnet50', 'squeezenet1_0', 'squeezenet1_1', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large',
  'shufflenet_v2_x0_5', 'shufflenet_v2_x1_0', 'densenet121', 'googlenet', 'efficientnet_b0', 'regnet_x_400mf', 'regnet_y_400mf', 'mnasnet0_5'];
// AlexNet and VGG pool adaptively to 6×6 and 7×7, which exports only where the map divides: 224 is their size.
const ALL: Batch[] = [
  ...[13, 17].flatMap((opset): Batch[] => [[ALL_SMALL, 64, opset], [ALL_SMALL, 96, opset], [['alexnet', 'vgg11'], 224, opset]]),
];
const BATCHES = process.env.CONVLAB_TORCHVISION_SWEEP === 'all' ? ALL : SMALL;

function relativeError(got: Float32Array, want: number[]): number {
  const scale = Math.max(1e-6, ...want.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  return worst;
}

describe.skipIf(!hasTorch)("torchvision's models run as PyTorch runs them", () => {
  const folder = hasTorch ? mkdtempSync(join(tmpdir(), 'convlab-torchvision-run-')) : '';
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  for (const [models, size, opset] of BATCHES) {
    const out = join(folder, `${size}-${opset}`);
    let exported = false;
    for (const name of models) {
      it(`${name} at ${size}×${size}, opset ${opset}`, { timeout: 600_000 }, async () => {
        if (!exported) {
          const made = spawnSync(PYTHON, [join(FIXTURES, 'make-onnx-fixtures.py'), '--torchvision', models.join(','), '--out', out, '--size', `${size}`, '--opset', `${opset}`], { encoding: 'utf8' });
          expect(made.status, made.stderr).toBe(0);
          exported = true;
        }
        const path = join(out, `${name}.onnx`);
        const io = fixtureIo(path);
        const started = performance.now();
        const graph = toGraph(foldShapes(await openModel(path)));
        const run = runGraph(graph, new Map([[graph.inputs[0].name, { shape: io.inputs[0].shape, data: Float32Array.from(io.inputs[0].data) }]]), { maxMultiplyAdds: Infinity });
        const error = relativeError(run.outputs[0].tensor.data, io.outputs[0].data);
        console.log(`${name} ${size}×${size} opset ${opset}: ${graph.nodes.length} nodes, ${(run.facts.multiplyAdds / 1e6).toFixed(0)} M multiply-adds, ` +
          `relative error ${error.toExponential(1)}, ${(performance.now() - started).toFixed(0)} ms`);
        expect(run.outputs[0].tensor.shape).toEqual(io.outputs[0].shape);
        expect(error).toBeLessThan(1e-4);
      });
    }
  }
});
if (!hasTorch) console.log(`skipped: running torchvision's models needs ${PYTHON} with torch, torchvision and onnx (apt install python3-torch python3-torchvision python3-onnx)`);
