// Parity per op and per network: every fixture run by core's graph runner gives PyTorch's saved outputs within 1e-4 relative.
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runGraph } from '../../core/graph/index';
import { fixtureIo, fixtureModels } from './fixture-paths';
import { foldShapes } from './fold-shapes';
import { openModel } from './read-onnx';
import { toGraph } from './to-graph';

/** The largest difference relative to the output's largest magnitude (at least 1). */
function relativeError(got: Float32Array, want: number[]): number {
  const scale = Math.max(1, ...want.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  return worst;
}

describe.each(['ops', 'nets', 'shapes'])('fixtures/%s run as PyTorch ran them', (folder) => {
  test.each(fixtureModels(folder).map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const graph = toGraph(foldShapes(await openModel(file)));
    const io = fixtureIo(file);
    const inputs = new Map(io.inputs.map((t) => [t.name, { shape: t.shape, data: Float32Array.from(t.data) }]));
    const run = runGraph(graph, inputs);
    expect(run.outputs.length).toBe(io.outputs.length);
    run.outputs.forEach((o, i) => {
      expect(o.tensor.shape).toEqual(io.outputs[i].shape);
      expect(relativeError(o.tensor.data, io.outputs[i].data)).toBeLessThan(1e-4);
    });
  });
});
