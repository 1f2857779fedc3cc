/**
 * An opened model's nodes as blocks that open into their nodes, grouped by name prefix the way PyTorch names
 * modules: `/layer1/layer1.0/conv1/Conv` and `layer1.0.conv1` both sit under `layer1` › `layer1.0`. A group of one
 * node is that node, so a module holding a single op is not a block of its own.
 */
import type { ModelListingRow } from '../../../electron/contract/model-contract';

export type ModelTreeItem =
  | { kind: 'node'; row: number }
  | { kind: 'group'; key: string; name: string; rows: number[]; items: ModelTreeItem[] };

/** The module path a node's name implies: slash segments without the op's own, else dotted prefixes without the last. */
export function modulePath(name: string): string[] {
  if (name.includes('/')) {
    const parts = name.split('/').filter((p) => p !== '');
    return parts.slice(0, -1);
  }
  const parts = name.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

interface Building {
  key: string;
  name: string;
  rows: number[];
  items: (Building | { kind: 'node'; row: number })[];
  children: Map<string, Building>;
}

function finish(group: Building): ModelTreeItem {
  const items = group.items.map((item) => ('kind' in item ? item : finish(item)));
  if (items.length === 1 && items[0].kind === 'node') return items[0];
  return { kind: 'group', key: group.key, name: group.name, rows: group.rows, items };
}

/** The listing's rows (in run order) as a tree of blocks; each block sits where its first node runs. */
export function groupRows(rows: readonly ModelListingRow[]): ModelTreeItem[] {
  const root: Building = { key: '', name: '', rows: [], items: [], children: new Map() };
  rows.forEach((row, index) => {
    let at = root;
    for (const segment of modulePath(row.name)) {
      let child = at.children.get(segment);
      if (!child) {
        child = { key: `${at.key}/${segment}`, name: segment, rows: [], items: [], children: new Map() };
        at.children.set(segment, child);
        at.items.push(child);
      }
      child.rows.push(index);
      at = child;
    }
    at.items.push({ kind: 'node', row: index });
  });
  return root.items.map((item) => ('kind' in item ? item : finish(item)));
}

/** What a block adds up to: its parameters and multiply-adds, and the output shape of its last node. */
export function groupSummary(rows: readonly ModelListingRow[], members: readonly number[]): { parameters: number; multiplyAdds: number; shape: number[] } {
  let parameters = 0, multiplyAdds = 0;
  for (const r of members) {
    parameters += rows[r].parameters;
    multiplyAdds += rows[r].multiplyAdds;
  }
  return { parameters, multiplyAdds, shape: rows[members[members.length - 1]].shape };
}

/** How a node joins paths: two or more inputs from nodes meet at an add (a skip) or a concat (parallel paths). */
export function joinKind(row: ModelListingRow): 'add' | 'concat' | null {
  if (row.from.length < 2) return null;
  if (row.op === 'Concat') return 'concat';
  return row.op === 'Add' || row.op === 'Sum' ? 'add' : null;
}
