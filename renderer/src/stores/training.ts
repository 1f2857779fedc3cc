/**
 * One kernel-learning run as the panel sees it. The settings live in the lab document (edited through undoable
 * actions); the run itself — phase, iteration, the numbers so far — lives here, because the worker streams one
 * event per iteration and the document must not change (nor maps recompute) that often. Views refresh at most once
 * per animation frame; the finished run is written into the document in one undoable step.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { MapData, TrainingEvent } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { clearTrainingRun, recordTrainingRun } from '../actions/training-actions';
import { trainingProblems, type Problem } from '../training/training-checks';
import { paceFor, trainRequest, trainingInput, trainingTarget } from '../training/training-data';
import type { TrainingHistory, TrainingOutcome, TrainingSettings } from '../training/training-doc';
import { isPrinted } from '../training/training-log';
import { TrainingSeries } from '../training/training-series';
import { useLabStore } from './lab';

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | TrainingOutcome | 'error';

/** The iteration where the numbers left the finite: shown in the log and in the message, never in the charts. */
export interface BadStep {
  iteration: number;
  loss: number;
}

const nextFrame: (callback: () => void) => void =
  typeof requestAnimationFrame === 'function' ? (callback) => requestAnimationFrame(callback) : (callback) => setTimeout(callback, 16);

export const useTrainingStore = defineStore('training', () => {
  const lab = useLabStore();
  const phase = ref<Phase>('idle');
  /** Why the last start was refused, or why the run ended badly (a message key, or the engine's own words). */
  const problem = shallowRef<Problem | null>(null);
  /** Bumped at most once per animation frame while events arrive: what charts and grids watch. */
  const frame = ref(0);
  const series = shallowRef(new TrainingSeries(0, 2));
  /** The settings of the run on screen (the document's may have changed since). */
  const shown = shallowRef<TrainingSettings>(lab.doc.training.settings);
  const iteration = ref(0);
  const iterations = ref(0);
  const bad = shallowRef<BadStep | null>(null);
  /** X and Y of the run on screen, for the loss surface and the comparison. */
  const data = shallowRef<{ x: MapData; y: MapData } | null>(null);
  /** Weights before the first update: typed, or the first event's weight plus lr·grad (the seeded start). */
  const start = shallowRef<Float32Array | null>(null);

  let runId: number | null = null;
  let early: TrainingEvent[] = [];
  let written: TrainingHistory | null = null;
  let framePending = false;

  function scheduleFrame(): void {
    if (framePending) return;
    framePending = true;
    nextFrame(() => {
      framePending = false;
      frame.value++;
    });
  }

  const active = () => phase.value === 'starting' || phase.value === 'running' || phase.value === 'paused';

  function onEvent(event: TrainingEvent): void {
    if (runId === null) {
      if (phase.value === 'starting') early.push(event);
      return;
    }
    if (event.runId !== runId) return;
    switch (event.kind) {
      case 'step':
        onStep(event);
        break;
      case 'paused':
        phase.value = 'paused';
        break;
      case 'done':
      case 'stopped':
      case 'diverged':
        finish(event.kind);
        break;
      case 'error':
        runId = null;
        phase.value = 'error';
        problem.value = { key: 'training.problems.engine', params: { message: event.message ?? '' } };
        break;
    }
  }

  function onStep(event: TrainingEvent): void {
    // Over the browser host's JSON, Infinity and NaN arrive as null: both mean the loss left the numbers.
    const loss = typeof event.loss === 'number' ? event.loss : NaN;
    const weight = event.weight ?? new Float32Array(0);
    if (event.iteration === 1 && !start.value && event.grad) {
      start.value = Float32Array.from(weight, (w, k) => w + shown.value.lr * (event.grad?.[k] ?? 0));
    }
    iteration.value = event.iteration;
    if (Number.isFinite(loss) && weight.every(Number.isFinite)) series.value.push(event.iteration, loss, weight, event.bias ?? 0);
    else bad.value = { iteration: event.iteration, loss };
    scheduleFrame();
  }

  function finish(outcome: TrainingOutcome): void {
    runId = null;
    phase.value = outcome;
    const n = shown.value.iterations;
    if (outcome === 'diverged') {
      const lr = shown.value.lr;
      // A rate ten times smaller, at one significant digit: a real next step from the rate that failed.
      const smaller = String(Number((lr / 10).toPrecision(1)));
      problem.value = { key: 'training.problems.diverged', params: { lr: String(lr), n: bad.value?.iteration ?? iteration.value, smaller } };
    }
    written = series.value.toHistory(outcome, (i) => isPrinted(i, n));
    lab.run(recordTrainingRun, { history: written });
    scheduleFrame();
  }

  /** Checks the settings, builds X and Y, and starts the run in the worker; false when refused (see `problem`). */
  async function startRun(): Promise<boolean> {
    if (active()) return false;
    const doc = lab.doc;
    const s = doc.training.settings;
    const x = trainingInput(doc, s);
    const [, , h, w] = x.shape;
    const problems = trainingProblems(s, h, w, doc);
    problem.value = problems[0] ?? null;
    if (problems.length > 0) return false;
    phase.value = 'starting';
    const y = await trainingTarget(api.forward, doc, s, x);
    if (!y.ok) return refuse(y.error.message);
    const [kh, kw] = s.kernelSize;
    shown.value = s;
    series.value = new TrainingSeries(s.iterations, kh * kw);
    data.value = { x, y: y.value };
    start.value = s.initWeight ? Float32Array.from(s.initWeight) : null;
    iteration.value = 0;
    iterations.value = s.iterations;
    bad.value = null;
    early = [];
    const result = await api.trainStart(trainRequest(s, x, y.value, s.flip, paceFor(s.iterations)));
    if (!result.ok) return refuse(result.error.message);
    runId = result.value.runId;
    phase.value = 'running';
    const waiting = early;
    early = [];
    for (const event of waiting) onEvent(event);
    scheduleFrame();
    return true;
  }

  function refuse(message: string): false {
    phase.value = 'error';
    problem.value = { key: 'training.problems.engine', params: { message } };
    return false;
  }

  async function control(command: 'pause' | 'resume' | 'step' | 'stop'): Promise<void> {
    if (runId === null) return;
    const id = runId;
    const result = await api.trainControl({ runId: id, command });
    // A run that ended meanwhile has already said so through its events.
    if (!result.ok || runId !== id) return;
    if (result.value.state === 'paused') phase.value = 'paused';
    else if (result.value.state === 'running') phase.value = 'running';
  }

  /** Back to before any run: stops one that goes on, and clears the last run from the lab (undoable). */
  async function reset(): Promise<void> {
    if (runId !== null) {
      const id = runId;
      runId = null;
      await api.trainControl({ runId: id, command: 'stop' });
    }
    phase.value = 'idle';
    problem.value = null;
    bad.value = null;
    start.value = null;
    data.value = null;
    iteration.value = 0;
    series.value = new TrainingSeries(0, series.value.size);
    written = null;
    lab.run(clearTrainingRun, undefined);
    scheduleFrame();
  }

  /** Shows a history the document holds (an opened lab, an undone run) when no run is going. */
  function showHistory(history: TrainingHistory): void {
    const s = lab.doc.training.settings;
    shown.value = s;
    series.value = TrainingSeries.fromHistory(history, s.kernelSize[0] * s.kernelSize[1]);
    const last = series.value.count > 0 ? series.value.at[series.value.last] : 0;
    iteration.value = last;
    iterations.value = last;
    phase.value = history.outcome ?? 'idle';
    problem.value = null;
    bad.value = null;
    start.value = null;
    data.value = null;
    scheduleFrame();
  }

  watch(
    () => lab.doc.training.history,
    (history) => {
      if (history !== written && !active()) {
        written = history;
        showHistory(history);
      }
    },
    { immediate: true },
  );

  api.on('training', onEvent);

  return {
    phase,
    problem,
    frame,
    series,
    shown,
    iteration,
    iterations,
    bad,
    data,
    start,
    startRun,
    pause: () => control('pause'),
    resume: () => control('resume'),
    step: () => control('step'),
    stop: () => control('stop'),
    reset,
    active,
  };
});
