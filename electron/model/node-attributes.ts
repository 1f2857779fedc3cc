/** Reading a ModelNode's attributes by kind, with ONNX's defaults, and naming the node when one has the wrong kind. */
import { ConvLabError } from '../../core/errors';
import type { ModelAttribute, ModelNode, ModelTensor } from './model-description';

type Kind = ModelAttribute['type'];

const WANT: Partial<Record<Kind, string>> = { int: 'an int', float: 'a float', ints: 'a list of ints', string: 'a string', tensor: 'a tensor' };

// The attribute `key` if the node has it, refused by name when it is of another kind.
function attribute<K extends Kind>(node: ModelNode, key: string, kind: K): Extract<ModelAttribute, { type: K }> | undefined {
  const a = node.attributes[key];
  if (a === undefined) return undefined;
  if (a.type !== kind) throw new ConvLabError('format', `node '${node.name}' (op ${node.op}) has attribute '${key}' of type ${a.type}; ONNX makes it ${WANT[kind]}`);
  return a as Extract<ModelAttribute, { type: K }>;
}

/** An int attribute, or `fallback` when the node leaves it out. */
export const intAttr = (node: ModelNode, key: string, fallback: number): number => attribute(node, key, 'int')?.value ?? fallback;

/** A float attribute, or `fallback`. */
export const floatAttr = (node: ModelNode, key: string, fallback: number): number => attribute(node, key, 'float')?.value ?? fallback;

/** A string attribute, or `fallback`. */
export const stringAttr = (node: ModelNode, key: string, fallback: string): string => attribute(node, key, 'string')?.value ?? fallback;

/** A tensor attribute, or undefined. */
export const tensorAttr = (node: ModelNode, key: string): ModelTensor | undefined => attribute(node, key, 'tensor')?.value;

/** An ints attribute, or `fallback` (undefined when left out and no fallback is given). */
export function intsAttr(node: ModelNode, key: string): number[] | undefined;
export function intsAttr(node: ModelNode, key: string, fallback: number[]): number[];
export function intsAttr(node: ModelNode, key: string, fallback?: number[]): number[] | undefined {
  return attribute(node, key, 'ints')?.value ?? fallback;
}
