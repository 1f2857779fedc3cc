/**
 * The graph-op table: every operator a graph may name, one row each, looked up by name. An op outside it, or an
 * attribute its row does not know, is refused naming the node, the op and what ConvLab runs.
 */
import { ConvLabError } from '../../errors';
import type { GraphNode } from '../graph';
import { convOp, convTransposeOp } from './conv';
import { ARITHMETIC_OPS, UNARY_OPS } from './elementwise';
import type { GraphOp } from './graph-op';
import { JOIN_OPS } from './join';
import { LAYOUT_OPS } from './layout';
import { batchNormOp, gemmOp, matmulOp } from './linear';
import { padOp } from './pad';
import { POOL_OPS } from './pool';
import { softmaxOp } from './softmax';

const ROWS: GraphOp[] = [
  convOp, convTransposeOp, gemmOp, matmulOp, batchNormOp, softmaxOp, padOp,
  ...ARITHMETIC_OPS, ...UNARY_OPS, ...POOL_OPS, ...LAYOUT_OPS, ...JOIN_OPS,
];
const TABLE = new Map(ROWS.map((r) => [r.op, r]));

/** Every op the table runs, sorted. */
export const graphOpNames = (): string[] => [...TABLE.keys()].sort();

/** The row of `node`'s op, refused by name when the op or one of its attributes is outside the table. */
export function graphOpOf(node: GraphNode): GraphOp {
  const row = TABLE.get(node.op);
  if (row === undefined) throw new ConvLabError('format', `node '${node.name}' (op ${node.op}) is not supported; ConvLab runs: ${graphOpNames().join(', ')}`);
  const unknown = Object.keys(node.attrs).find((a) => !row.attributes.includes(a));
  if (unknown !== undefined) {
    throw new ConvLabError('format', `node '${node.name}' (op ${node.op}) has attribute '${unknown}', which ConvLab does not run; ${node.op} takes: ${row.attributes.join(', ') || 'none'}`);
  }
  return row;
}
