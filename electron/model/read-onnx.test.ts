import { mkdtempSync, copyFileSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../../core/errors';
import { FIXTURES, fixtureIo, fixtureModels } from './fixture-paths';
import { modelTransfers } from './model-description';
import { MODEL_LIMITS } from './model-limits';
import { ModelProto } from './onnx-schema';
import { openModel, parseModel } from './read-onnx';

// A one-Relu model encoded here, for the refusals no fixture needs a file for.
function encoded(opset: number, nodeDomain = ''): Uint8Array {
  const value = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } } });
  return ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: opset }],
    graph: { node: [{ name: 'act', opType: 'Relu', domain: nodeDomain, input: ['x'], output: ['y'] }], input: [value('x')], output: [value('y')] },
  }).finish();
}

const bad = (name: string) => join(FIXTURES, 'bad', `${name}.onnx`);
const external = (name: string) => join(FIXTURES, 'external', `${name}.onnx`);

async function refusal(path: string): Promise<ConvLabError> {
  const e = await openModel(path).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConvLabError);
  return e as ConvLabError;
}

describe('reading the fixtures', () => {
  for (const folder of ['ops', 'nets', 'shapes']) {
    it(`reads every model in ${folder}/ with the inputs and outputs its PyTorch run names`, async () => {
      for (const path of fixtureModels(folder)) {
        const model = await openModel(path);
        const io = fixtureIo(path);
        expect(model.inputs.map((v) => v.name), path).toEqual(io.inputs.map((t) => t.name));
        expect(model.inputs.map((v) => v.shape), path).toEqual(io.inputs.map((t) => t.shape));
        expect(model.outputs.map((v) => v.name), path).toEqual(io.outputs.map((t) => t.name));
        expect(model.nodes.length, path).toBeGreaterThan(0);
        expect(model.ops.length, path).toBeGreaterThan(0);
      }
    });
  }

  it("describes a one-op Conv: its attributes typed, its weight's values exactly the file's", async () => {
    const model = await openModel(join(FIXTURES, 'ops', 'conv_groups_dilation.onnx'));
    expect(model.opset).toBe(13);
    expect(model.producer).toBe('convlab-fixtures');
    expect(model.inputs).toEqual([{ name: 'x', shape: [1, 3, 7, 7], dtype: 'float32', resolved: [] }]);
    expect(model.nodes).toHaveLength(1);
    const [conv] = model.nodes;
    expect(conv).toMatchObject({ name: 'conv_groups_dilation', op: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'] });
    expect(conv.attributes.group).toEqual({ type: 'int', value: 3 });
    expect(conv.attributes.dilations).toEqual({ type: 'ints', value: [2, 2] });
    const w = model.initializers.get('w');
    expect(w?.dims).toEqual([6, 1, 3, 3]);
    expect(w?.data).toBeInstanceOf(Float32Array);
    expect(w?.data.length).toBe(54);
  });

  it('reads int64 initializers as BigInt64Array, INT64_MAX included', async () => {
    const model = await openModel(join(FIXTURES, 'ops', 'slice.onnx'));
    const ends = model.initializers.get('ends');
    expect(ends?.data).toEqual(new BigInt64Array([3n, 9223372036854775807n]));
  });

  it("reads a Constant node's tensor and a string attribute", async () => {
    expect((await openModel(join(FIXTURES, 'ops', 'constant.onnx'))).nodes[0].attributes.value).toEqual({
      type: 'tensor', value: { dims: [2, 3], data: new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]) },
    });
    expect((await openModel(join(FIXTURES, 'ops', 'pad_reflect.onnx'))).nodes[0].attributes.mode).toEqual({ type: 'string', value: 'reflect' });
  });

  it('fixes a symbolic batch dim to 1 and says so', async () => {
    const model = await openModel(join(FIXTURES, 'shapes', 'view_flatten.onnx'));
    expect(model.inputs[0]).toMatchObject({ shape: [1, 3, 7, 7], resolved: [{ axis: 0, param: 'batch' }] });
    expect(model.outputs[0].shape).toEqual([1, 5]);
    expect(model.notes).toContain("input 'x': dim 1 is symbolic ('batch') and was fixed to 1");
  });

  it('lists the op types found, an op ConvLab cannot run included', async () => {
    expect((await openModel(join(FIXTURES, 'nets', 'keras_like-opset13.onnx'))).ops).toEqual(['Add', 'Constant', 'Conv', 'MatMul', 'Relu', 'Reshape', 'Softmax', 'Transpose']);
    expect((await openModel(bad('unknown_op'))).ops).toEqual(['DeformConv']);
  });

  it('puts nodes in topological order whatever order the file gives them', () => {
    const bytes = readFileSync(join(FIXTURES, 'nets', 'tiny_resnet-opset13.onnx'));
    const model = parseModel(bytes);
    const made = new Set([...model.initializers.keys(), ...model.inputs.map((v) => v.name)]);
    for (const n of model.nodes) {
      for (const i of n.inputs) expect(made.has(i), `${n.name} reads ${i}`).toBe(true);
      n.outputs.forEach((o) => made.add(o));
    }
  });

  it('reads weights kept in a file inside the model folder', async () => {
    const model = await openModel(external('inside'));
    const weights = new Float32Array(Uint8Array.from(readFileSync(join(FIXTURES, 'external', 'weights.bin'))).buffer);
    expect(model.initializers.get('w')?.data).toEqual(weights);
  });

  it('crosses a thread boundary as it is: structured clone, its buffers transferred', async () => {
    const model = await openModel(join(FIXTURES, 'ops', 'slice.onnx'));
    const copy = structuredClone(model);
    expect(copy).toEqual(model);
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<typeof model>((resolve) => port2.once('message', resolve));
    const expected = structuredClone(model);
    port1.postMessage(model, modelTransfers(model));
    expect(await got).toEqual(expected);
    expect(model.initializers.get('ends')?.data.length).toBe(0); // moved, not copied
    port1.close();
  });

  it("gives every tensor's buffer for a transfer list, each owned by its tensor", async () => {
    const model = await openModel(join(FIXTURES, 'nets', 'lenet-opset13.onnx'));
    const buffers = modelTransfers(model);
    const constants = model.nodes.filter((n) => n.op === 'Constant').length;
    expect(constants).toBeGreaterThan(0);
    expect(buffers.length).toBe(model.initializers.size + constants);
    for (const t of model.initializers.values()) expect(t.data.byteLength).toBe(t.data.buffer.byteLength);
  });
});

describe('refusals, one line each, naming the problem', () => {
  it('a truncated protobuf', async () => {
    expect((await refusal(bad('truncated'))).message).toMatch(/^the model is truncated: its protobuf ends in the middle of a message/);
  });

  it('a file that is not an ONNX model', async () => {
    expect((await refusal(bad('not_onnx'))).message).toMatch(/^this is not an ONNX model/);
    expect(() => parseModel(new Uint8Array())).toThrow('this is not an ONNX model: it has no graph');
  });

  it('an unsupported operator-set domain', async () => {
    expect((await refusal(bad('unsupported_domain'))).message).toBe(
      "the model imports operator set domain 'com.microsoft' (version 1); ConvLab reads only ONNX's default domain ('' or 'ai.onnx')");
  });

  it('an opset outside the supported range, and a node from another domain', () => {
    expect(parseModel(encoded(13)).nodes[0]).toMatchObject({ name: 'act', op: 'Relu' });
    expect(() => parseModel(encoded(3))).toThrow('the model uses ONNX opset 3; ConvLab reads opsets 7 to 22');
    expect(() => parseModel(encoded(13, 'ai.onnx.ml'))).toThrow("node 'act' (op Relu) is from the operator set domain 'ai.onnx.ml'; ConvLab reads only ONNX's default domain");
  });

  it('a tensor claiming 10 GB, before allocating it', async () => {
    const e = await refusal(bad('huge_claim'));
    expect(e.code).toBe('limit');
    expect(e.message).toBe("tensor 'w' claims 10 GB (dims 50000×50000); the limit is 537 MB per tensor");
  });

  it('a cyclic graph, naming a node on the cycle', async () => {
    expect((await refusal(bad('cyclic'))).message).toMatch(/^the graph has a cycle through node '(add|relu_1|relu_2)' \(op (Add|Relu)\); an ONNX graph must be acyclic$/);
  });

  it('a missing initializer, naming the node and the tensor', async () => {
    expect((await refusal(bad('missing_initializer'))).message).toBe("node 'conv' (op Conv) reads 'w', which no initializer, graph input or node provides");
  });

  it("raw data that does not match the tensor's dims", async () => {
    const e = await refusal(bad('mismatched_dims'));
    expect(e.code).toBe('shape');
    expect(e.message).toBe("tensor 'w' declares dims 2×3×3×3 (54 values, 216 bytes) but holds 100 bytes of raw data");
  });

  it("external data outside the model's folder: a parent path, an absolute path, a link that leads out", async () => {
    expect((await refusal(external('outside_parent'))).message).toBe("tensor 'w' keeps its data in '../outside.bin', which is outside the model's folder");
    expect((await refusal(external('outside_absolute'))).message).toBe("tensor 'w' keeps its data in '/etc/hostname', an absolute path; external data must sit in the model's folder");
    const folder = mkdtempSync(join(tmpdir(), 'convlab-onnx-'));
    const outside = mkdtempSync(join(tmpdir(), 'convlab-outside-'));
    writeFileSync(join(outside, 'secret.bin'), new Uint8Array(216));
    copyFileSync(external('through_link'), join(folder, 'through_link.onnx'));
    symlinkSync(join(outside, 'secret.bin'), join(folder, 'link.bin'));
    expect((await refusal(join(folder, 'through_link.onnx'))).message).toBe("tensor 'w' keeps its data in 'link.bin', a link that leads outside the model's folder");
  });

  it('external data with too few bytes, and bytes given without their folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-onnx-'));
    copyFileSync(external('inside'), join(folder, 'inside.onnx'));
    writeFileSync(join(folder, 'weights.bin'), new Uint8Array(100));
    expect((await refusal(join(folder, 'inside.onnx'))).message).toBe("tensor 'w' keeps its data in 'weights.bin', bytes 0 to 216, past the file's end at 100");
    expect(() => parseModel(readFileSync(external('inside')))).toThrow("tensor 'w' keeps its data in an external file, and the model was given without its folder");
  });

  it('a file larger than the model limit, by its size alone', async () => {
    const e = await refusal(join(tmpdir(), 'no-such-model.onnx'));
    expect(e.message).toMatch(/^cannot read '.*no-such-model\.onnx': ENOENT$/);
    expect(() => parseModel({ length: MODEL_LIMITS.modelBytes + 1 } as Uint8Array)).toThrow(/^the model is 629 MB; the limit for a model is 629 MB$/);
  });
});
