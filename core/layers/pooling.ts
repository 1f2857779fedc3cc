/** What max and average pooling share: the window's checks, output and field; they differ only in the reduction. */
import { pairText } from '../geometry';
import { nextField } from '../receptive-field';
import { sizeOf } from '../tensor';
import type { LayerFacts, InferState } from './kind';
import { checkWindow, needMap, windowOutput, windowStep, type WindowSettings } from './rules';

/** A pooling's output and field at the input it meets; it has no parameters and counts no multiply-adds. */
export function inferPooling(type: string, spec: WindowSettings, st: InferState): LayerFacts {
  needMap(st.shape, type);
  checkWindow(spec);
  const [oh, ow] = windowOutput(st.shape, spec, 'window');
  return { out: { shape: [st.shape[0], st.shape[1], oh, ow], field: nextField(st.field, windowStep(spec)), grid: [oh, ow] }, parameters: 0, macs: 0 };
}

/** The budget's price of a pooling: one per value each window reads. */
export const poolingWork = (spec: WindowSettings, facts: LayerFacts): number =>
  sizeOf(facts.out.shape) * spec.kernel[0] * spec.kernel[1];

/** "maxpool 2×2 s2×2 p0×0". */
export const poolingText = (type: string, spec: WindowSettings): string =>
  `${type} ${pairText(spec.kernel)} s${pairText(spec.stride)} p${pairText(spec.padding)}`;
