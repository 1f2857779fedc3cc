/**
 * The paths that meet at a join (an Add of a skip, a Concat of parallel paths): for each input of the join, the
 * nodes only that input depends on since the paths parted, in run order. An empty path is the identity (a skip
 * straight from where the paths parted).
 */
import type { ModelListingRow } from '../../../electron/contract/model-contract';

/** Every node `name` depends on (itself included), by node name. */
function ancestors(byName: Map<string, ModelListingRow>, name: string, memo: Map<string, Set<string>>): Set<string> {
  const known = memo.get(name);
  if (known) return known;
  const found = new Set<string>([name]);
  // Walk without recursion: a deep network (hundreds of nodes in a row) must not exhaust the stack.
  const stack = [name];
  while (stack.length > 0) {
    const row = byName.get(stack.pop()!);
    for (const from of row?.from ?? []) {
      if (found.has(from)) continue;
      found.add(from);
      stack.push(from);
    }
  }
  memo.set(name, found);
  return found;
}

/** For each input of row `index` (a join), the row indices on that input's own path, in run order. */
export function joinPaths(rows: readonly ModelListingRow[], index: number): number[][] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const memo = new Map<string, Set<string>>();
  const sets = rows[index].from.map((from) => ancestors(byName, from, memo));
  const shared = (name: string) => sets.every((s) => s.has(name));
  return sets.map((set) => rows.flatMap((r, i) => (i < index && set.has(r.name) && !shared(r.name) ? [i] : [])));
}
