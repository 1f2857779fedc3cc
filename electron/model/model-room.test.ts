// The model room as the engine worker holds it: open from bytes, list, run, fetch one node's maps, probe a unit
// (boxes through branches and skips, and a gradient that agrees with finite differences), close.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureIo } from './fixture-paths';
import { ModelRoom } from './model-room';

const file = join(FIXTURES, 'nets', 'tiny_resnet-opset13.onnx');
const io = fixtureIo(file);
const input = { shape: io.inputs[0].shape, data: Float32Array.from(io.inputs[0].data) };

function opened(): ModelRoom {
  const room = new ModelRoom();
  room.open(7, 'tiny_resnet.onnx', readFileSync(file));
  return room;
}

describe('the model room', () => {
  it('opens a model from bytes and lists every node with its edges, shape, cost and field', () => {
    const model = new ModelRoom().open(7, 'tiny_resnet.onnx', readFileSync(file));
    expect(model.inputs).toEqual([{ name: 'x', shape: [1, 3, 16, 16] }]);
    const add = model.rows.find((r) => r.op === 'Add')!;
    expect(add.from).toEqual(['/body/body.3/Conv', '/shortcut/shortcut.0/Conv']);
    expect(add).toMatchObject({ shape: [1, 16, 8, 8], parameters: 0, field: { size: [9, 9], stride: [2, 2] } });
    expect(model.parameters).toBe(4026);
    expect(model.rows.at(-1)).toMatchObject({ op: 'Gemm', shape: [1, 10], parameters: 170, multiplyAdds: 160 });
    expect(model.rows.at(-1)!.field).toBeUndefined();
    // After the global pooling a unit reads the whole input, beside the 9×9 its convolutions reach.
    expect(model.rows.find((r) => r.op === 'GlobalAveragePool')!.field).toEqual({ size: [9, 9], stride: [2, 2], whole: true });
  });

  it("runs it with PyTorch's outputs and top classes, then answers one node's maps a few channels at a time", () => {
    const room = opened();
    const answer = room.forward(7, input, 3);
    answer.outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(io.outputs[0].data[i], 5));
    const best = [...io.outputs[0].data.keys()].sort((a, b) => io.outputs[0].data[b] - io.outputs[0].data[a]).slice(0, 3);
    expect(answer.top.map((t) => t.index)).toEqual(best);
    const maps = room.maps(7, '/body/body.0/Conv', 2, 3);
    expect(maps.shape).toEqual([1, 3, 8, 8]);
    expect(() => room.maps(7, '/body/body.0/Conv', 15, 3)).toThrow(/channels 15…17 are outside node '\/body\/body\.0\/Conv', whose output is 1×16×8×8/);
    expect(() => room.maps(7, 'nope', 0, 1)).toThrow("the model has no node 'nope'");
  });

  it('probes a unit: its box in the input per path (body and shortcut) and a gradient that matches finite differences', () => {
    const room = opened();
    const probe = room.probe(7, input, '/Add', [3, 4, 4]);
    // body: two 3×3 convs after the stem's 3×3, the first with stride 2; shortcut: 1×1 stride 2 after the stem.
    expect(probe.input.paths).toEqual(expect.arrayContaining([{ top: 4, left: 4, bottom: 12, right: 12 }, { top: 7, left: 7, bottom: 9, right: 9 }]));
    expect(probe.input.union).toEqual({ top: 4, left: 4, bottom: 12, right: 12 });
    expect(probe.boxes.find((b) => b.node === '/body/body.0/Conv')!.box).toEqual({ top: 3, left: 3, bottom: 5, right: 5 });
    const g = probe.gradient;
    expect(g.shape).toEqual([1, 3, 16, 16]);
    const unitAt = (x: Float32Array) => { room.forward(7, { shape: input.shape, data: x }, 1); return room.maps(7, '/Add', 3, 1).data[4 * 8 + 4]; };
    for (const at of [0 * 256 + 5 * 16 + 6, 1 * 256 + 8 * 16 + 8, 2 * 256 + 11 * 16 + 3]) {
      const h = 1e-2;
      const up = input.data.slice(); up[at] += h;
      const down = input.data.slice(); down[at] -= h;
      expect(g.data[at]).toBeCloseTo((unitAt(up) - unitAt(down)) / (2 * h), 2);
    }
    // Outside every path's box the gradient is zero.
    expect(g.data[0 * 256 + 0 * 16 + 0]).toBe(0);
  });

  it.each(['mobile_block-opset17', 'keras_like-opset13', 'lenet-opset13'])('%s: the last node\'s gradient on the input matches finite differences', (name) => {
    const path = join(FIXTURES, 'nets', `${name}.onnx`);
    const x = { shape: fixtureIo(path).inputs[0].shape, data: Float32Array.from(fixtureIo(path).inputs[0].data) };
    const room = new ModelRoom();
    const last = room.open(1, name, readFileSync(path)).rows.at(-1)!;
    const g = room.probe(1, x, last.name, last.shape.slice(1).map(() => 0)).gradient;
    const unitAt = (d: Float32Array) => { room.forward(1, { shape: x.shape, data: d }, 1); return room.maps(1, last.name, 0, undefined).data[0]; };
    for (const at of [3, 17, 40, 77]) {
      const up = x.data.slice(); up[at] += 1e-2;
      const down = x.data.slice(); down[at] -= 1e-2;
      expect(g.data[at]).toBeCloseTo((unitAt(up) - unitAt(down)) / 2e-2, 4);
    }
  });

  it('refuses a model it does not hold, an input of the wrong shape and a unit outside its node, naming them', () => {
    const room = opened();
    expect(() => room.forward(8, input, 1)).toThrow('model 8 is not open (open it again)');
    expect(() => room.forward(7, { shape: [1, 3, 8, 8], data: new Float32Array(192) }, 1)).toThrow('the input is 1×3×8×8; the model takes 1×3×16×16');
    expect(() => room.probe(7, input, '/Add', [16, 0, 0])).toThrow("unit [16, 0, 0] is outside node '/Add', whose output is 1×16×8×8");
    room.close(7);
    expect(() => room.maps(7, '/Add', 0, 1)).toThrow('model 7 is not open');
  });
});
