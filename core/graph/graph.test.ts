// The graph runner on hand-built DAGs: a branch that rejoins, fields through it (union and per path), refusals that
// name the node, the op and the rule, and a probe's boxes.
import { describe, expect, test } from 'vitest';
import type { Graph, GraphNode } from './graph';
import { fieldSize, inferGraph, probeGraph, runGraph, unitGradient } from './index';

const ones = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1) });
const node = (name: string, op: string, inputs: string[], outputs: string[], attrs: GraphNode['attrs'] = {}): GraphNode => ({ name, op, inputs, outputs, attrs });

/** x → conv 3×3 (pad 1) → a; x → maxpool 2×2 s1 (pads 0,0,1,1) → b; a + b → y. */
function branches(): Graph {
  return {
    inputs: [{ name: 'x', shape: [1, 1, 6, 6] }],
    outputs: ['y'],
    constants: new Map([['w', ones([1, 1, 3, 3])]]),
    nodes: [
      node('conv', 'Conv', ['x', 'w'], ['a'], { pads: [1, 1, 1, 1] }),
      node('pool', 'MaxPool', ['x'], ['b'], { kernel_shape: [2, 2], pads: [0, 0, 1, 1] }),
      node('add', 'Add', ['a', 'b'], ['y']),
    ],
    opset: 13,
  };
}

describe('the graph runner', () => {
  test('runs a branch that rejoins and keeps every node output', () => {
    const run = runGraph(branches(), new Map([['x', ones([1, 1, 6, 6])]]));
    expect(run.outputs[0].tensor.shape).toEqual([1, 1, 6, 6]);
    // Centre: 9 ones summed, plus a max of 1; corner: 4 ones, plus 1.
    expect(run.outputs[0].tensor.data[2 * 6 + 2]).toBe(10);
    expect(run.outputs[0].tensor.data[0]).toBe(5);
    expect([...run.values.keys()]).toEqual(expect.arrayContaining(['a', 'b', 'y']));
  });

  test('infers parameters, multiply-adds and the field of each path, joined at the Add', () => {
    const facts = inferGraph(branches());
    expect(facts.nodes.map((n) => [n.node.name, n.parameters, n.multiplyAdds])).toEqual([['conv', 9, 36 * 9], ['pool', 0, 0], ['add', 0, 0]]);
    const add = facts.nodes[2].field!;
    expect(add.paths).toEqual([{ lo: [-1, -1], hi: [1, 1] }, { lo: [0, 0], hi: [1, 1] }]);
    expect(fieldSize(add)).toEqual({ size: [3, 3], stride: [1, 1] });
  });

  test("probes a unit: each path's box in the input, and the gradient is nonzero only inside their union", () => {
    const g = branches();
    const reach = probeGraph(g, inferGraph(g), 'add', [0, 3, 3]);
    const paths = reach.find((r) => r.tensor === 'x')!.paths;
    expect(paths).toHaveLength(2);
    expect(paths).toEqual(expect.arrayContaining([{ top: 2, left: 2, bottom: 4, right: 4 }, { top: 3, left: 3, bottom: 4, right: 4 }]));
    const x = { shape: [1, 1, 6, 6], data: Float32Array.from({ length: 36 }, (_, i) => (i * 7) % 5) };
    const grad = unitGradient(g, new Map([['x', x]]), 'add', [0, 3, 3]);
    grad.data.forEach((v, i) => { const [r, c] = [Math.floor(i / 6), i % 6]; if (r < 2 || r > 4 || c < 2 || c > 4) expect(v).toBe(0); });
    expect(grad.data.reduce((a, b) => a + b, 0)).toBe(10);
  });

  test('refuses an op or attribute outside the table, a missing tensor and a run over the budget, by name', () => {
    const g = branches();
    expect(() => inferGraph({ ...g, nodes: [node('features.3', 'DeformConv', ['x'], ['y'])] })).toThrow(/^node 'features\.3' \(op DeformConv\) is not supported; ConvLab runs: Add, .*Conv, .*Unsqueeze$/);
    expect(() => inferGraph({ ...g, nodes: [node('r', 'Relu', ['x'], ['y'], { alpha: 1 })] })).toThrow("node 'r' (op Relu) has attribute 'alpha', which ConvLab does not run; Relu takes: none");
    expect(() => inferGraph({ ...g, nodes: [node('r', 'Relu', ['nowhere'], ['y'])] })).toThrow("node 'r' (op Relu): input 'nowhere' is written by no node, input or weight");
    expect(() => runGraph(g, new Map([['x', ones([1, 1, 6, 6])]]), { maxMultiplyAdds: 100 })).toThrow('this model costs 324 multiply-adds a run; the limit is 100');
    expect(() => runGraph(g, new Map([['x', ones([1, 1, 5, 6])]]))).toThrow("input 'x' is 1×1×5×6; the model takes 1×1×6×6");
    const huge: Graph = { ...g, inputs: [{ name: 'x', shape: [1, 1, 6, 6] }], constants: new Map([['s', { shape: [4], data: Float32Array.of(1, 1024, 1024, 128) }]]),
      nodes: [node('grow', 'Pad', ['x', 's'], ['y'])] };
    expect(() => inferGraph(huge)).toThrow(/^node 'grow' \(op Pad\): pads 1,1024,1024,128 need 2 values per axis/);
  });
});
