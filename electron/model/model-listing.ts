/**
 * The listing of an opened model, as rows a person reads: per node its name, op, output shapes, parameters,
 * multiply-adds and receptive field (core's graph inference on the folded model), with a summary of inputs,
 * outputs and weights. An op ConvLab cannot run is refused by name before any row is made.
 */
import { fieldSize, inferGraph, type GraphField } from '../../core/graph/index';
import type { FoldResult } from './fold-shapes';
import type { ModelDescription, ModelValue } from './model-description';
import { toGraph } from './to-graph';

/** One node of the listing. `outputs` holds a shape per output. */
export interface ListingRow {
  name: string;
  op: string;
  outputs: (number[] | null)[];
  parameters: number;
  multiplyAdds: number;
  /** Its first output's field, undefined when that output is no NCHW map. */
  field: GraphField | undefined;
}

/** The listing of a folded model. */
export interface ModelListing {
  header: string[];
  rows: ListingRow[];
  footer: string[];
}

const shapeText = (s: number[] | null): string => (s === null ? '?' : s.length === 0 ? 'scalar' : s.join('×'));
const valueText = (v: ModelValue, shape: number[] | null): string => `${v.name} ${shapeText(shape)} ${v.dtype}`;
const group = (n: number): string => n.toLocaleString('en-US');
const count = (n: number, noun: string): string => `${group(n)} ${noun}${n === 1 ? '' : 's'}`;

function parameters(model: ModelDescription): number {
  let n = 0;
  for (const t of model.initializers.values()) if (t.data instanceof Float32Array) n += t.data.length;
  return n;
}

/** Rows and summary lines for `fold`'s model, named `title` (the file's name). */
export function modelListing(title: string, fold: FoldResult): ModelListing {
  const { model, shapes } = fold;
  const shapeOf = (name: string): number[] | null => shapes.get(name) ?? model.declaredShapes.get(name) ?? null;
  const header = [
    `${title}: ONNX opset ${model.opset}${model.producer ? `, made by ${model.producer}` : ''}`,
    `inputs: ${model.inputs.map((v) => valueText(v, v.shape)).join(', ')}`,
    `outputs: ${model.outputs.map((v) => valueText(v, shapeOf(v.name))).join(', ')}`,
    ...model.notes.map((n) => `note: ${n}`),
  ];
  const facts = inferGraph(toGraph(fold));
  const rows = facts.nodes.map((f) => ({ name: f.node.name, op: f.node.op, outputs: f.shapes, parameters: f.parameters, multiplyAdds: f.multiplyAdds, field: f.field }));
  const footer = [
    `${count(rows.length, 'node')}, ${count(parameters(model), 'parameter')} in ${count(model.initializers.size, 'initializer')}`,
    `${group(facts.multiplyAdds)} multiply-adds a run`,
    `ops: ${model.ops.join(', ')}`,
  ];
  return { header, rows, footer };
}

/** A field as the listing shows it: "11×11 /4", with "+all" when some path reads the whole input, "-" off the maps. */
export function fieldText(f: GraphField | undefined): string {
  if (f === undefined) return '-';
  const { size, stride } = fieldSize(f);
  const jump = stride[0] === stride[1] ? `${stride[0]}` : stride.join('×');
  return `${size.join('×')} /${jump}${f.whole ? ' +all' : ''}`;
}

/** The listing as text: header, a table of name, op, output shape, parameters, multiply-adds and field, footer. */
export function listingText(listing: ModelListing): string {
  const table = [
    ['node', 'op', 'output', 'params', 'mult-adds', 'field'],
    ...listing.rows.map((r) => [r.name, r.op, r.outputs.map(shapeText).join(', '), group(r.parameters), group(r.multiplyAdds), fieldText(r.field)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  return [...listing.header, '', ...lines, '', ...listing.footer].join('\n');
}
