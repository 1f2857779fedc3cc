/**
 * Section 5.1.5's claim, tested on the learner's own data: train X → Y once with cross-correlation and once with true
 * convolution, from the same start, and check that the two learned kernels are flips (180° rotations) of each other.
 * The two runs go one after the other through the worker, flat out, while the main run is idle.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { RequestOf, TrainingEvent } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { flipKernel } from '../document/document';
import { trainingProblems, type Problem } from '../training/training-checks';
import { trainRequest, trainingInput, trainingTarget } from '../training/training-data';
import { useLabStore } from './lab';

/** How close a flip must be to count as a match: the two runs start from the same weights, not mirrored ones. */
export const FLIP_TOLERANCE = 0.05;

export interface Learned {
  weight: Float32Array;
  loss: number;
}

/** Runs one training to its end and answers the last weight and loss, or the reason it failed. */
async function runToEnd(request: RequestOf<'trainStart'>): Promise<Learned | string> {
  let runId: number | null = null;
  const early: TrainingEvent[] = [];
  let last: Learned | null = null;
  let settle: (value: Learned | string) => void = () => undefined;
  const ended = new Promise<Learned | string>((resolve) => (settle = resolve));
  const onEvent = (event: TrainingEvent) => {
    if (runId === null) return void early.push(event);
    if (event.runId !== runId) return;
    if (event.kind === 'step' && event.weight) last = { weight: event.weight, loss: typeof event.loss === 'number' ? event.loss : NaN };
    else if (event.kind === 'done') settle(last ?? 'no iteration ran');
    else if (event.kind !== 'paused' && event.kind !== 'step') settle(event.message ?? event.kind);
  };
  const off = api.on('training', onEvent);
  try {
    const started = await api.trainStart(request);
    if (!started.ok) return started.error.message;
    runId = started.value.runId;
    early.splice(0).forEach(onEvent);
    return await ended;
  } finally {
    off();
  }
}

export const useFlipCompareStore = defineStore('flipCompare', () => {
  const lab = useLabStore();
  const running = ref(false);
  const corr = shallowRef<Learned | null>(null);
  const conv = shallowRef<Learned | null>(null);
  const size = ref<[number, number]>([1, 2]);
  const problem = shallowRef<Problem | null>(null);
  /** The largest difference between the convolution's kernel and the cross-correlation's, flipped. */
  const difference = ref<number | null>(null);

  async function run(): Promise<void> {
    if (running.value) return;
    const doc = lab.doc;
    const s = doc.training.settings;
    const x = trainingInput(doc, s);
    const problems = trainingProblems(s, x.shape[2], x.shape[3], doc);
    problem.value = problems[0] ?? null;
    if (problems.length > 0) return;
    running.value = true;
    corr.value = conv.value = null;
    difference.value = null;
    try {
      const y = await trainingTarget(api.forward, doc, s, x);
      if (!y.ok) return void (problem.value = { key: 'training.compare.failed', params: { message: y.error.message } });
      const a = await runToEnd(trainRequest(s, x, y.value, false, 0));
      if (typeof a === 'string') return void (problem.value = { key: 'training.compare.failed', params: { message: a } });
      const b = await runToEnd(trainRequest(s, x, y.value, true, 0));
      if (typeof b === 'string') return void (problem.value = { key: 'training.compare.failed', params: { message: b } });
      size.value = [...s.kernelSize];
      corr.value = a;
      conv.value = b;
      const flipped = flipKernel(a.weight, s.kernelSize[0], s.kernelSize[1]);
      difference.value = Math.max(...Array.from(flipped, (v, k) => Math.abs(v - b.weight[k])));
    } finally {
      running.value = false;
    }
  }

  return { running, corr, conv, size, problem, difference, run };
});
