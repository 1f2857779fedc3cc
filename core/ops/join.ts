/**
 * Where branches meet: channel concatenation (Inception, DenseNet) and elementwise addition (ResNet's skip),
 * forward and backward side by side.
 */
import { check } from '../errors';
import { shapeText, type Tensor } from '../tensor';

/** Joins tensors along axis 1 (channels) in order; every other axis must agree. */
export function concatChannels(inputs: readonly Tensor[]): Tensor {
  check(inputs.length >= 1, 'shape', () => 'concat needs at least one input');
  const first = inputs[0].shape;
  check(first.length >= 2, 'shape', () => `concat inputs must have a channel axis, got ${shapeText(first)}`);
  let channels = 0;
  inputs.forEach((t, k) => {
    const same = t.shape.length === first.length && t.shape.every((d, i) => i === 1 || d === first[i]);
    check(same, 'shape', () => `concat input ${k + 1} has shape ${shapeText(t.shape)}, which does not match ${shapeText(first)} except in channels`);
    channels += t.shape[1];
  });
  const n = first[0], inner = first.slice(2).reduce((a, b) => a * b, 1);
  const y = new Float32Array(n * channels * inner);
  let offset = 0;
  for (const t of inputs) {
    const block = t.shape[1] * inner;
    for (let b = 0; b < n; b++) y.set(t.data.subarray(b * block, (b + 1) * block), b * channels * inner + offset);
    offset += block;
  }
  return { shape: [n, channels, ...first.slice(2)], data: y };
}

/** Backward of concatChannels: each input gets its own channel slice of the gradient. */
export function concatChannelsBackward(inputShapes: readonly (readonly number[])[], gradOutput: Tensor): Tensor[] {
  const [n, channels] = gradOutput.shape, inner = gradOutput.shape.slice(2).reduce((a, b) => a * b, 1);
  let offset = 0;
  return inputShapes.map((shape) => {
    const block = shape[1] * inner, gx = new Float32Array(n * block);
    for (let b = 0; b < n; b++) gx.set(gradOutput.data.subarray(b * channels * inner + offset, b * channels * inner + offset + block), b * block);
    offset += block;
    return { shape: [...shape], data: gx };
  });
}

/** Elementwise sum of tensors of one shape. */
export function addTensors(inputs: readonly Tensor[]): Tensor {
  check(inputs.length >= 1, 'shape', () => 'add needs at least one input');
  const first = inputs[0].shape;
  inputs.forEach((t, k) => check(t.shape.length === first.length && t.shape.every((d, i) => d === first[i]), 'shape',
    () => `add input ${k + 1} has shape ${shapeText(t.shape)} but input 1 has ${shapeText(first)}`));
  const y = Float32Array.from(inputs[0].data);
  for (let k = 1; k < inputs.length; k++) {
    const d = inputs[k].data;
    for (let i = 0; i < y.length; i++) y[i] += d[i];
  }
  return { shape: [...first], data: y };
}

/** Backward of addTensors: every input gets the upstream gradient itself (a copy each). */
export function addTensorsBackward(count: number, gradOutput: Tensor): Tensor[] {
  return Array.from({ length: count }, () => ({ shape: [...gradOutput.shape], data: Float32Array.from(gradOutput.data) }));
}
