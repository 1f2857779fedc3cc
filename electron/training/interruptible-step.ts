/**
 * One worker's training step that its run's stop word interrupts (stop-words.ts): the forward checks the word after
 * each layer, the backward before each op, and the epoch's test pass after each layer of each chunk. It computes
 * exactly what Training.step() does (the same gradients through the same calls; the checks are callbacks that change
 * nothing), so a run that is not stopped is bit for bit the same. A batch abandoned mid-way leaves the weights as
 * they were: its batch norm moving statistics, updated during its forward, are put back. (A stop during an epoch's
 * test pass drops that epoch's result; the epoch's last batch is applied.)
 */
import type { LabelledImages } from '../../core/data/idx';
import { paramSlots } from '../../core/nets/params';
import { predict, type LossOptions } from '../../core/nets/run';
import { batchGradients, EVAL_CHUNK, type StepResult, type Training } from '../../core/nets/train';
import { recycling } from '../../core/ops/floats';
import { SliceAborted } from './batch-stats-barrier';
import { BatchAbandoned, type StopWord } from './stop-words';

/** `options` with the word checked after each layer's forward and before each op of the backward. */
export function checkedOptions(options: LossOptions, stop: StopWord): LossOptions {
  return { ...options, onLayer: () => stop.check(), beforeBackwardOp: () => stop.check() };
}

/**
 * `options` for a helper's chunk of a split batch: it gives up between layers and backward ops once `failed()`
 * (another chunk failed: the leader's too, when its run was stopped), rather than finishing a chunk nobody will use.
 */
export function untilFailed(options: LossOptions, failed: () => boolean): LossOptions {
  const giveUp = () => {
    if (failed()) throw new SliceAborted();
  };
  return { ...options, onLayer: giveUp, beforeBackwardOp: giveUp };
}

/** The test set's logits as Training.logitsAll gives them, the word checked after each layer. */
function checkedLogits(t: Training, set: LabelledImages, stop: StopWord): Float32Array {
  const out = new Float32Array(set.count * t.classes);
  for (let start = 0; start < set.count; start += EVAL_CHUNK) {
    const chunk = t.evalChunk(set, start, Math.min(EVAL_CHUNK, set.count - start));
    recycling(() => out.set(predict(t.spec, t.params, chunk, () => stop.check()).data, start * t.classes));
  }
  return out;
}

/** Copies of the batch norm layers' moving statistics, and how to put them back. */
function movingStats(t: Training): () => void {
  const kept = paramSlots(t.spec)
    .filter((slot) => slot.role === 'moving_mean' || slot.role === 'moving_var')
    .map((slot) => ({ data: t.params.get(slot.path)!.data, copy: t.params.get(slot.path)!.data.slice() }));
  return () => kept.forEach(({ data, copy }) => data.set(copy));
}

/** The step of a run on one worker, interrupted by `stop` (throws BatchAbandoned). */
export function interruptibleStep(stop: StopWord): (t: Training) => Promise<StepResult> {
  return async (t) => {
    const restore = movingStats(t);
    // The test pass comes after the batch is applied: its statistics are the run's then.
    let applied = false;
    try {
      return await t.stepWith(
        async (batch) => batchGradients(t.spec, t.params, batch.x!, batch.labels, checkedOptions(t.batchOptions(), stop)),
        (set) => ((applied = true), checkedLogits(t, set, stop)),
      );
    } catch (error) {
      if (error instanceof BatchAbandoned && !applied) restore();
      throw error;
    }
  };
}
