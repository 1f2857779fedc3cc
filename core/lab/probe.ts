/** probeUnit: the receptive field of one unit, by arithmetic, by walking its window, and by its gradient. */
import { check } from '../errors';
import type { Pair } from '../geometry';
import { analyticBox, receptiveFields, walkedBoxes } from '../receptive-field';
import { Tape, type Var } from '../tape';
import { checkMap, checkStack, type CheckedLayer } from './stack';
import type { LabLayer, MapData, ProbeResult } from './types';

/** d(unit)/d(input) through layers[0..last]: one forward and one backward on the tape, weights held fixed. */
export function unitGradient(input: MapData, layers: readonly CheckedLayer[], last: number, unit: { c: number; y: number; x: number }): MapData {
  const tape = new Tape();
  const x = tape.leaf(input, true);
  let v: Var = x;
  for (let i = 0; i <= last; i++) {
    v = layers[i].onTape(tape, v);
  }
  const [, , h, w] = v.value.shape;
  const seed = new Float32Array(v.value.data.length);
  seed[(unit.c * h + unit.y) * w + unit.x] = 1;
  tape.backward(v, { shape: v.value.shape, data: seed });
  return { shape: input.shape, data: x.grad?.data ?? new Float32Array(input.data.length) };
}

/**
 * Receptive field of unit (channel c, row y, col x) of the output of layers[layer]: Araujo et al.'s arithmetic for
 * every prefix up to it, the walked-and-clipped box in the input and in every earlier map, the formula's unclipped
 * box, and the gradient of the unit with respect to the input (its effective receptive field).
 */
export function probeUnit(input: MapData, layers: LabLayer[], layer: number, unit: { c: number; y: number; x: number }): ProbeResult {
  return probeChecked(input, checkStack(input.shape, layers), layer, unit);
}

/** probeUnit on an already checked stack. */
export function probeChecked(input: MapData, checked: readonly CheckedLayer[], layer: number, unit: { c: number; y: number; x: number }): ProbeResult {
  const [n] = checkMap(input);
  check(n === 1, 'shape', () => `probing needs one image (N = 1), got N = ${n}`);
  check(checked.length > 0, 'range', () => 'the stack has no layers to probe');
  check(Number.isInteger(layer) && layer >= 0 && layer < checked.length, 'range',
    () => `layer index ${layer} is outside 0..${checked.length - 1}`);
  const [, oc, oh, ow] = checked[layer].output;
  const { c, y, x } = unit;
  check([c, y, x].every(Number.isInteger) && c >= 0 && c < oc && y >= 0 && y < oh && x >= 0 && x < ow, 'range',
    () => `unit (channel ${c}, row ${y}, col ${x}) is outside layer ${layer + 1}'s ${oc}×${oh}×${ow} output`);

  const rf = checked.map((l) => l.rf);
  const fields = receptiveFields(rf.slice(0, layer + 1));
  const sizes: Pair[] = checked.map((l) => [l.input[2], l.input[3]]);
  return {
    perLayer: fields.map((f, i) => ({ layer: i, ...f })),
    boxes: walkedBoxes(rf, sizes, layer, y, x),
    analyticBox: analyticBox(fields[layer], y, x),
    gradient: unitGradient(input, checked, layer, unit),
  };
}
