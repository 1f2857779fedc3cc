/**
 * One row of the graph-op table: an operator a graph node may name (ONNX's names), how it checks its attributes,
 * the shapes it gives, how it computes, what it costs and how a unit of its output reads its input's positions.
 * Unlike the layer table's rows (one input, one output, on the tape) a graph op reads and writes several tensors.
 */
import type { Pair } from '../../geometry';
import type { Tensor } from '../../tensor';
import type { GraphAttrs } from '../graph';

/** A sliding window over the last two axes: what a conv or pooling unit reads. Pads are top, left, bottom, right. */
export interface GraphWindow {
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  pads: [number, number, number, number];
}

/** How a unit of the output reads its input's positions: the same position, a window of them, or every one. */
export type GraphReach = 'same' | 'all' | GraphWindow;

/** What an op is told besides its inputs: its attributes and the operator-set version whose defaults apply. */
export interface OpContext {
  attrs: GraphAttrs;
  opset: number;
  /** How many outputs the node names (Split's count when neither num_outputs nor sizes say). */
  outputs: number;
}

export interface GraphOp {
  readonly op: string;
  /** The attributes it understands; a node with any other is refused by name. */
  readonly attributes: readonly string[];
  /** Input positions that hold learned weights (counted as parameters when constant). */
  readonly weights?: readonly number[];
  /** Output shapes from input shapes; `consts` holds the inputs the graph states as constants. */
  shapes(ins: readonly (readonly number[] | undefined)[], c: OpContext, consts: readonly (Tensor | undefined)[]): number[][];
  run(ins: readonly (Tensor | undefined)[], c: OpContext): Tensor[];
  /** Multiply-adds of one run (absent: none counted). */
  macs?(ins: readonly (readonly number[] | undefined)[], outs: readonly number[][], c: OpContext): number;
  /** How its first output's units read input 0's positions (absent: 'same'). */
  reach?(ins: readonly (readonly number[] | undefined)[], c: OpContext): GraphReach;
}
