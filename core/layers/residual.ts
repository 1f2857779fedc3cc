/** residual: relu(body(x) + shortcut(x)), the book's Residual (5.11); an empty shortcut is the identity. */
import { check } from '../errors';
import { unionField } from '../receptive-field';
import type { AnySpec, ContainerKind } from './kind';
import { hullBox, shapeTuple } from './rules';

export interface ResidualSpec<L extends AnySpec = AnySpec> {
  type: 'residual';
  body: L[];
  shortcut: L[];
}

/** A residual's spec. */
export const residualLayer = <L extends AnySpec>(body: L[], shortcut: L[]): ResidualSpec<L> => ({ type: 'residual', body, shortcut });

export const residualKind: ContainerKind<ResidualSpec> = {
  type: 'residual',
  container: true,
  description: 'relu(body(x) + shortcut(x)); an empty shortcut passes x through',
  fromData: (d, _fail, read) => ({ type: 'residual', body: read(d.body, 'body'), shortcut: read(d.shortcut, 'shortcut') }),
  branches: (spec) => [{ name: 'body', layers: spec.body }, { name: 'shortcut', layers: spec.shortcut }],
  join(_spec, _st, outs) {
    const [y, x] = outs.map((o) => o.shape);
    check(y.length === x.length && y.every((d, k) => d === x[k]), 'shape',
      () => `the body gives ${shapeTuple(y)} but the shortcut gives ${shapeTuple(x)}; adding them needs equal shapes`);
    return { shape: y, field: unionField(outs.map((o) => o.field)), grid: outs[0].grid };
  },
  forwardJoin: (t, [body, shortcut]) => t.activation(t.add([body, shortcut]), 'relu'),
  back(_spec, r, walk) {
    const body = walk(0, r), short = walk(1, r);
    return { box: hullBox([body.box, short.box]), c: body.c === short.c ? body.c : undefined };
  },
  settings: () => ({}),
  text: () => 'residual',
};
