/**
 * One unit of a trained net, probed: the gradient of that unit (predict mode) with respect to the input image, by
 * core's tape (its effective receptive field), and the windows it reads in every layer below, by receptive-field
 * arithmetic on the same spec. Shared by a run in progress (between two batches) and a net loaded from a lab.
 */
import type { LabelledImages } from '../../core/data/idx';
import { inferSpec } from '../../core/nets/infer';
import type { NetSpec, Params } from '../../core/nets/model';
import { probeBoxes } from '../../core/nets/probe-boxes';
import { unitInputGradient } from '../../core/nets/run';
import type { RequestOf } from '../contract/contract';
import type { NetUnitGradient } from '../contract/net-probe-contract';
import { atSide, imagePixels } from './net-prediction';

export type UnitGradientQuery = Omit<RequestOf<'netTrainingUnitGradient'>, 'runId'>;

/** `side`: the image side the network reads (28, or larger for a net whose images are enlarged). */
export function netTrainingUnitGradient(spec: NetSpec, params: Params, test: LabelledImages | null, query: UnitGradientQuery, side = 28): NetUnitGradient {
  const pixels = atSide(imagePixels(test, query.image).pixels, side);
  // Core refuses a layer the net does not have and a unit outside its layer, naming both.
  const gradient = unitInputGradient(spec, params, { shape: [1, 1, side, side], data: pixels }, query.layer, query.unit);
  // A map's unit is (c, y, x); a vector's feature reads every cell below, as (0, 0) of a 1×1 map does.
  const [c, y, x] = query.unit.length === 3 ? query.unit : [undefined, 0, 0];
  const boxes = probeBoxes({ spec, rows: inferSpec(spec, [1, 1, side, side]).rows }, Number(query.layer), { c, y, x });
  return { layer: query.layer, unit: [...query.unit], gradient: { shape: [...gradient.shape], data: Float32Array.from(gradient.data) }, boxes };
}
