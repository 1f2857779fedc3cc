/** concat: every branch reads x; their outputs are joined along channels in branch order (Inception, DenseNet). */
import { check } from '../errors';
import { unionField } from '../receptive-field';
import type { AnySpec, ContainerKind } from './kind';
import { hullBox, shapeTuple } from './rules';

export interface ConcatSpec<L extends AnySpec = AnySpec> {
  type: 'concat';
  /** An empty branch passes x through. */
  branches: L[][];
}

/** A concat's spec. */
export const concatLayer = <L extends AnySpec>(branches: L[][]): ConcatSpec<L> => ({ type: 'concat', branches });

export const concatKind: ContainerKind<ConcatSpec> = {
  type: 'concat',
  container: true,
  description: 'the branches\' outputs side by side along channels',
  fromData(d, fail, read) {
    const branches: unknown = d.branches;
    if (!Array.isArray(branches)) return fail('must be a list of layers');
    return { type: 'concat', branches: branches.map((b: unknown, j: number) => read(b, `branches.${j}`)) };
  },
  branches(spec) {
    check(Array.isArray(spec.branches) && spec.branches.length > 0, 'format', () => 'concat needs branches');
    return spec.branches.map((layers, j) => ({ name: `branches.${j}`, layers }));
  },
  join(_spec, _st, outs) {
    const first = outs[0].shape;
    outs.forEach((o, b) => check(o.shape.length === 4 && o.shape[0] === first[0] && o.shape[2] === first[2] && o.shape[3] === first[3], 'shape',
      () => `branch ${b} gives ${shapeTuple(o.shape)} but branch 0 gives ${shapeTuple(first)}; concat needs equal N, H and W`));
    return { shape: [first[0], outs.reduce((c, o) => c + o.shape[1], 0), first[2], first[3]], field: unionField(outs.map((o) => o.field)), grid: outs[0].grid };
  },
  forwardJoin: (t, outs) => t.concat(outs),
  back(spec, r, walk, channelsOf) {
    if (r.c !== undefined) {
      // One channel of a concat comes from one branch: walk only that one.
      let offset = 0;
      for (let k = 0; k < spec.branches.length; k++) {
        const width = channelsOf(k);
        if (r.c < offset + width) return walk(k, { box: r.box, c: r.c - offset });
        offset += width;
      }
    }
    const outs = spec.branches.map((_, k) => walk(k, { box: r.box, c: undefined }));
    return { box: hullBox(outs.map((o) => o.box)), c: undefined };
  },
  settings: () => ({}),
  text: (spec) => `concat of ${spec.branches.length} branches`,
};
