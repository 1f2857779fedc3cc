/**
 * The cells one unit of a network really reads, walked back layer by layer through branches and skips: the
 * windows of the unit, clipped to every map (so rows a floor-mode layer never reads stay outside), and at a join
 * the hull of what its inputs read. The explorer draws these on the image and on every block's feature maps.
 */
import { check } from '../errors';
import type { Reach } from '../layers/kind';
import { kindOf } from '../layers/table';
import { isEmptyBox, type Box } from '../receptive-field';
import type { LayerInfo } from './infer';
import type { LayerSpec } from './model';

/** A unit of a layer's output; `c` may be left out to mean every channel at (y, x). */
export interface UnitRef {
  c?: number;
  y: number;
  x: number;
}

export { hullBox } from '../layers/rules';

function walker(rows: ReadonlyMap<string, LayerInfo>) {
  function back(l: LayerSpec, path: string, r: Reach): Reach {
    const row = rows.get(path) as LayerInfo;
    const kind = kindOf(l);
    const c = !kind.container && kind.keepsChannel ? r.c : undefined;
    if (isEmptyBox(r.box)) return { box: r.box, c };
    if (!kind.container) return { box: kind.reads(l, r.box, row.inputGrid), c };
    const branches = kind.branches(l);
    return kind.back(l, r,
      (i, reach) => backList(branches[i].layers as LayerSpec[], `${path}.${branches[i].name}.`, reach),
      (i) => branchChannels(branches[i].layers as LayerSpec[], `${path}.${branches[i].name}.`, row));
  }

  function branchChannels(branch: readonly LayerSpec[], prefix: string, containerRow: LayerInfo): number {
    return branch.length === 0 ? containerRow.input[1] : (rows.get(`${prefix}${branch.length - 1}`) as LayerInfo).output[1];
  }

  function backList(layers: readonly LayerSpec[], prefix: string, r: Reach): Reach {
    for (let i = layers.length - 1; i >= 0; i--) r = back(layers[i], `${prefix}${i}`, r);
    return r;
  }

  return back;
}

/**
 * What unit (c, y, x) of the output of top-level layer `layer` (an index into net.spec) reads: boxes[i] lies in
 * the input of spec[i], so boxes[0] is in the image; boxes[layer] is the unit's own window. Leave out `c` for
 * every channel at (y, x): at a concat that is the hull of all branches, with `c` only the branch that made it.
 * Only the spec and its rows are read: a Network, or a bare spec with the rows inferSpec gives (the LeNet tab's).
 */
export function probeBoxes(net: { readonly spec: readonly LayerSpec[]; readonly rows: readonly LayerInfo[] }, layer: number, unit: UnitRef): Box[] {
  check(Number.isInteger(layer) && layer >= 0 && layer < net.spec.length, 'range', () => `layer index ${layer} is outside 0..${net.spec.length - 1}`);
  const rows = new Map(net.rows.map((r) => [r.path, r]));
  const out = (rows.get(String(layer)) as LayerInfo).output;
  const [oh, ow] = out.length === 4 ? [out[2], out[3]] : [1, 1];
  const { c, y, x } = unit;
  check(Number.isInteger(y) && Number.isInteger(x) && y >= 0 && y < oh && x >= 0 && x < ow, 'range',
    () => `unit (row ${y}, col ${x}) is outside layer ${layer}'s ${oh}×${ow} output`);
  check(c === undefined || (Number.isInteger(c) && c >= 0 && c < out[1]), 'range', () => `channel ${c} is outside layer ${layer}'s ${out[1]} channels`);
  const back = walker(rows);
  const boxes: Box[] = new Array<Box>(layer + 1);
  let r: Reach = { box: { top: y, left: x, bottom: y, right: x }, c };
  for (let i = layer; i >= 0; i--) {
    r = back(net.spec[i], String(i), r);
    boxes[i] = r.box;
  }
  return boxes;
}
