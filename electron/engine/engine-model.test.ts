// The model calls against the real engine worker: a model's bytes parsed in the worker, run, its maps fetched one
// node at a time, a unit probed, and refusals that name the problem; the worker keeps serving after each.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FIXTURES, fixtureIo } from '../model/fixture-paths';
import { createEngineHost } from './engine-host';

const host = createEngineHost(new URL('./engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
afterAll(() => host.close());

const file = join(FIXTURES, 'nets', 'mobile_block-opset17.onnx');
const io = fixtureIo(file);
const input = { shape: io.inputs[0].shape, data: Float32Array.from(io.inputs[0].data) };

describe('model calls in the engine worker', () => {
  test("opens a model from bytes, runs it with PyTorch's outputs, answers a node's maps and probes a unit", async () => {
    const model = await host.modelOpenBytes({ name: 'mobile_block.onnx', bytes: new Uint8Array(readFileSync(file)) });
    expect(model.modelId).toBeGreaterThan(0);
    expect(model.rows.length).toBeGreaterThan(3);
    const answer = await host.modelForward({ modelId: model.modelId, input, topK: 2 });
    answer.outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(io.outputs[0].data[i], 4));
    expect(answer.top).toHaveLength(2);
    const conv = model.rows.find((r) => r.op === 'Conv')!;
    const maps = await host.modelMaps({ modelId: model.modelId, node: conv.name, offset: 0, count: 1 });
    expect(maps.shape).toEqual([1, 1, ...conv.shape.slice(2)]);
    const probe = await host.modelProbe({ modelId: model.modelId, input, node: conv.name, unit: [0, 0, 0] });
    expect(probe.gradient.shape).toEqual(input.shape);
    expect(probe.input.union.top).toBe(0);
    await host.modelClose({ modelId: model.modelId });
    await expect(host.modelForward({ modelId: model.modelId, input, topK: 1 })).rejects.toMatchObject({ code: 'engine', message: `model ${model.modelId} is not open (open it again)` });
  });

  test('refuses bytes that are no model and a model with an op outside the table, by name', async () => {
    await expect(host.modelOpenBytes({ name: 'x.onnx', bytes: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'engine' });
    const unknown = new Uint8Array(readFileSync(join(FIXTURES, 'bad', 'unknown_op.onnx')));
    await expect(host.modelOpenBytes({ name: 'unknown_op.onnx', bytes: unknown })).rejects.toMatchObject({ message: expect.stringMatching(/^node 'features\.3' \(op DeformConv\) is not supported; ConvLab runs: /) });
  });
});
