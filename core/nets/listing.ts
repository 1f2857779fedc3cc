/**
 * The book's shape listings (5.5–5.12): the loop `for layer in net: X = layer(X); print(layer.name, 'output
 * shape:\t', X.shape)` over the top-level children, printed as the book prints them.
 */
import type { BlockInfo, Network } from './network';

/** One listed child: its Gluon name and output shape. */
export interface ListingEntry {
  name: string;
  output: number[];
  /** Indices into network.blocks of the blocks this line covers (a GoogLeNet stage covers several). */
  blocks: number[];
}

/**
 * The net's top-level children. A GoogLeNet stage (b1–b5) is one Sequential, so its members make one entry, with
 * the shape of its last member.
 */
export function listingEntries(net: Network): ListingEntry[] {
  const entries: ListingEntry[] = [];
  net.blocks.forEach((b: BlockInfo, i) => {
    const last = entries[entries.length - 1];
    if (b.stage && last?.name === b.stage.name) {
      last.output = b.output;
      last.blocks.push(i);
    } else entries.push({ name: b.stage?.name ?? b.name, output: b.output, blocks: [i] });
  });
  return entries;
}

/** Python's print of a shape tuple: (1, 96, 54, 54). */
export function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The listing's lines, e.g. "conv0 output shape:\t (1, 96, 54, 54)" (a tab, then print's space). */
export function bookListing(net: Network): string[] {
  return listingEntries(net).map((e) => `${e.name} output shape:\t ${pythonTuple(e.output)}`);
}
