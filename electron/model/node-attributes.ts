/** Reading a ModelNode's attributes by kind, with ONNX's defaults, and naming the node when one has the wrong kind. */
import { ConvLabError } from '../../core/errors';
import type { ModelNode, ModelTensor } from './model-description';

const wrong = (node: ModelNode, key: string, want: string): ConvLabError =>
  new ConvLabError('format', `node '${node.name}' (op ${node.op}) has attribute '${key}' of type ${node.attributes[key].type}; ONNX makes it ${want}`);

/** An int attribute, or `fallback` when the node leaves it out. */
export function intAttr(node: ModelNode, key: string, fallback: number): number {
  const a = node.attributes[key];
  if (a === undefined) return fallback;
  if (a.type !== 'int') throw wrong(node, key, 'an int');
  return a.value;
}

/** A float attribute, or `fallback`. */
export function floatAttr(node: ModelNode, key: string, fallback: number): number {
  const a = node.attributes[key];
  if (a === undefined) return fallback;
  if (a.type !== 'float') throw wrong(node, key, 'a float');
  return a.value;
}

/** An ints attribute, or `fallback` (undefined when left out and no fallback is given). */
export function intsAttr(node: ModelNode, key: string): number[] | undefined;
export function intsAttr(node: ModelNode, key: string, fallback: number[]): number[];
export function intsAttr(node: ModelNode, key: string, fallback?: number[]): number[] | undefined {
  const a = node.attributes[key];
  if (a === undefined) return fallback;
  if (a.type !== 'ints') throw wrong(node, key, 'a list of ints');
  return a.value;
}

/** A string attribute, or `fallback`. */
export function stringAttr(node: ModelNode, key: string, fallback: string): string {
  const a = node.attributes[key];
  if (a === undefined) return fallback;
  if (a.type !== 'string') throw wrong(node, key, 'a string');
  return a.value;
}

/** A tensor attribute, or undefined. */
export function tensorAttr(node: ModelNode, key: string): ModelTensor | undefined {
  const a = node.attributes[key];
  if (a === undefined) return undefined;
  if (a.type !== 'tensor') throw wrong(node, key, 'a tensor');
  return a.value;
}
