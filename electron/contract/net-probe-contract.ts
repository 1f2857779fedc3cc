/**
 * Looking inside a trained net (section 5.5): one unit's gradient on the input (its effective receptive field).
 * Beside net-contract.ts, so that file stays about training itself; the test images an epoch reports as the net's
 * most wrong are part of training's report (net-contract.ts).
 */
import * as v from 'valibot';
import { whole } from './whole';
import { NetPredictRequest } from './net-contract';

/** The longest side of any map a unit may sit on (the engine refuses a unit outside its layer, naming both). */
const MAX_UNIT_INDEX = 4095;

/**
 * A unit of one top-level layer's output (`layer` is its path, "0" … "10" for LeNet; `unit` indexes the output
 * without its batch axis: [c, y, x] on a map, [f] on a vector) and the image it is asked about.
 */
export const NetUnitGradientRequest = v.object({
  runId: whole(1, Number.MAX_SAFE_INTEGER, 'run id'),
  image: NetPredictRequest.entries.image,
  layer: v.pipe(
    v.string('layer must be a layer path such as "4"'),
    // A top-level path is a whole number below 1000; a path past the net's own layers is refused by the engine.
    v.regex(/^(0|[1-9]\d{0,2})$/, 'layer must be a top-level layer path such as "4"'),
  ),
  unit: v.pipe(
    v.array(whole(0, MAX_UNIT_INDEX, 'unit index'), 'unit must be a list of indices'),
    v.minLength(1, 'unit needs [feature] or [channel, row, column]'),
    v.maxLength(3, 'unit needs [feature] or [channel, row, column]'),
  ),
});

/** The gradient of one unit with respect to the input image, in predict mode, on the net as it stands. */
export interface NetUnitGradient {
  layer: string;
  unit: number[];
  /** (1, 1, 28, 28): where it is nonzero is the unit's effective receptive field. */
  gradient: { shape: number[]; data: Float32Array };
  /**
   * What the unit reads, by receptive-field arithmetic on the net's own spec (core's probeBoxes): boxes[i] lies in
   * the input of layer i, so boxes[0] is in the image and boxes[layer] is the unit's own window.
   */
  boxes: { top: number; left: number; bottom: number; right: number }[];
}
