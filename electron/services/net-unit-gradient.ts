/**
 * One unit's effective receptive field on a trained net: the gradient of that unit (predict mode) with respect to
 * the input image, by core's tape. Shared by a run in progress (between two batches) and a net loaded from a lab.
 */
import type { LabelledImages } from '../../core/data/idx';
import type { NetSpec, Params } from '../../core/nets/model';
import { unitInputGradient } from '../../core/nets/run';
import type { RequestOf } from '../contract/contract';
import type { NetUnitGradient } from '../contract/net-probe-contract';
import { imagePixels } from './net-prediction';

export type UnitGradientQuery = Omit<RequestOf<'netUnitGradient'>, 'runId'>;

export function netUnitGradient(spec: NetSpec, params: Params, test: LabelledImages | null, query: UnitGradientQuery): NetUnitGradient {
  const { pixels } = imagePixels(test, query.image);
  // Core refuses a layer the net does not have and a unit outside its layer, naming both.
  const gradient = unitInputGradient(spec, params, { shape: [1, 1, 28, 28], data: pixels }, query.layer, query.unit);
  return { layer: query.layer, unit: [...query.unit], gradient: { shape: [...gradient.shape], data: Float32Array.from(gradient.data) } };
}
