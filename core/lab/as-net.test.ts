import { describe, expect, it } from 'vitest';
import { kindOf } from '../layers/table';
import { inferSpec } from '../nets/infer';
import { predict } from '../nets/run';
import { mulberry32 } from '../random';
import { labLayerSpec, labNet } from './as-net';
import { probeUnit } from './probe';
import { runStack, stackShapes } from './stack';
import type { LabConv, LabLayer, MapData } from './types';

const random = mulberry32(11);
const values = (n: number) => Float32Array.from({ length: n }, () => random() * 2 - 1);

function conv(cin: number, cout: number, k: number, o: Partial<LabConv> = {}): LabLayer {
  return { type: 'conv2d', outChannels: cout, inChannels: cin, kernel: [k, k], weight: { shape: [cout, cin, k, k], data: values(cout * cin * k * k) }, bias: values(cout), stride: [1, 1], padding: [0, 0], dilation: [1, 1], flip: false, ...o };
}

// Dilated, flipped, strided and padded convolutions, both poolings and every activation: what the lab's stack can hold.
const STACK: LabLayer[] = [
  conv(1, 3, 3, { dilation: [2, 1], flip: true, padding: [1, 2] }), { type: 'relu' },
  { type: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
  conv(3, 2, 2, { stride: [1, 2] }), { type: 'tanh' },
  { type: 'avgpool', kernel: [3, 3], stride: [1, 1], padding: [1, 1], countIncludePad: false }, { type: 'sigmoid' },
];
const INPUT: MapData = { shape: [1, 1, 17, 19], data: values(17 * 19) };

describe("the lab's stack as a network of the layer table", () => {
  it('has the shapes the lab computes, layer by layer', () => {
    const { spec } = labNet(STACK);
    expect(inferSpec(spec, INPUT.shape).rows.map((r) => r.output)).toEqual(stackShapes(INPUT.shape, STACK));
  });

  it('runs to the lab\'s maps bit for bit, its weights shared by path', () => {
    const { spec, params } = labNet(STACK);
    expect(params.get('0.weight')!.data).toBe((STACK[0] as LabConv).weight.data);
    const outputs = runStack(INPUT, STACK).outputs;
    const seen: Float32Array[] = [];
    predict(spec, params, INPUT, (_path, _spec, output) => seen.push(output.data));
    seen.forEach((data, i) => expect(data).toEqual(outputs[i].data));
  });

  it('has the receptive fields the lab probe computes', () => {
    const { spec } = labNet(STACK);
    const rows = inferSpec(spec, INPUT.shape).rows;
    const probe = probeUnit(INPUT, STACK, STACK.length - 1, { c: 0, y: 1, x: 1 });
    rows.forEach((r, i) => expect([r.field.size, r.field.jump, r.field.start]).toEqual([probe.perLayer[i].size, probe.perLayer[i].jump, probe.perLayer[i].start]));
  });

  it('names its kinds in the table\'s vocabulary', () => {
    expect(STACK.map((l) => labLayerSpec(l).type)).toEqual(['conv2d', 'relu', 'maxpool', 'conv2d', 'tanh', 'avgpool', 'sigmoid']);
    expect(kindOf(labLayerSpec(STACK[0])).text(labLayerSpec(STACK[0]))).toBe('conv2d 1→3 3 s1 p1×2 d2×1 flipped');
  });
});
