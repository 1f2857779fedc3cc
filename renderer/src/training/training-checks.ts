/**
 * The settings a run cannot start with, found before anything is sent, each as a message key and its values, so the
 * learner reads why in their language. The contract checks the same rules again at the boundary.
 */
import { LIMITS } from '../../../electron/contract/core-exports';
import type { LabDocument } from '../document/document';
import type { TrainingSettings } from './training-doc';

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

/** Every problem of `s` for an input of height × width, most basic first. */
export function trainingProblems(s: TrainingSettings, height: number, width: number, doc: LabDocument): Problem[] {
  const problems: Problem[] = [];
  const [kh, kw] = s.kernelSize;
  if (!Number.isFinite(s.lr) || s.lr <= 0) problems.push({ key: 'training.problems.lr', params: { lr: String(s.lr) } });
  if (!Number.isInteger(s.iterations) || s.iterations < 1 || s.iterations > LIMITS.maxTrainingSteps) {
    problems.push({ key: 'training.problems.iterations', params: { n: String(s.iterations), max: LIMITS.maxTrainingSteps } });
  }
  if (kh > height || kw > width) problems.push({ key: 'training.problems.kernel', params: { kh, kw, h: height, w: width } });
  if (s.initWeight && s.initWeight.length !== kh * kw) {
    problems.push({ key: 'training.problems.initWeight', params: { got: s.initWeight.length, need: kh * kw } });
  }
  if (s.initWeight?.some((v) => !Number.isFinite(v))) problems.push({ key: 'training.problems.initFinite' });
  // The kernel learnt here (section 5.1.4) reads one channel; a lab input of several is not what it was made for.
  if (s.input === 'lab' && doc.input.channels > 1) problems.push({ key: 'training.problems.channels', params: { c: doc.input.channels } });
  if (s.target === 'layer1') {
    const layer = doc.layers[0];
    if (!layer || layer.kind !== 'conv') problems.push({ key: 'training.problems.layer1Missing' });
    else if (
      layer.kernelSize[0] !== kh ||
      layer.kernelSize[1] !== kw ||
      [...layer.stride, ...layer.dilation].some((v) => v !== 1) ||
      layer.padding.some((v) => v !== 0)
    ) {
      problems.push({ key: 'training.problems.layer1Shape', params: { kh, kw } });
    }
  }
  return problems;
}
