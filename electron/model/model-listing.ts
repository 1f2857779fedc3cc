/**
 * The listing of an opened model, as rows a person reads: per node its name, op and output shape (from folding,
 * else from the file's value_info), with a summary of inputs, outputs and weights. The runner will add
 * parameters, multiply-adds and receptive fields per node: new fields on ListingRow, new columns in the table.
 */
import type { FoldResult } from './fold-shapes';
import type { ModelDescription, ModelValue } from './model-description';

/** One node of the listing. `outputs` holds a shape per output, null where it cannot be told before running. */
export interface ListingRow {
  name: string;
  op: string;
  outputs: (number[] | null)[];
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
  const rows = model.nodes.map((n) => ({ name: n.name, op: n.op, outputs: n.outputs.map(shapeOf) }));
  const footer = [
    `${count(rows.length, 'node')}, ${count(parameters(model), 'parameter')} in ${count(model.initializers.size, 'initializer')}`,
    `ops: ${model.ops.join(', ')}`,
  ];
  return { header, rows, footer };
}

/** The listing as text: header, a table of name, op and output shape with aligned columns, footer. */
export function listingText(listing: ModelListing): string {
  const table = [['node', 'op', 'output'], ...listing.rows.map((r) => [r.name, r.op, r.outputs.map(shapeText).join(', ')])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  return [...listing.header, '', ...lines, '', ...listing.footer].join('\n');
}
