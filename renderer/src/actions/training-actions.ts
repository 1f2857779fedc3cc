/** Edits of the lab's training section, and what a finished run leaves in the lab: each one undoable step. */
import type { Pair } from '../../../electron/contract/contract';
import type { LabDocument } from '../document/document';
import { rowsOf } from '../numbers/numpy-format';
import { BOOK_RUN, emptyHistory, type TrainingHistory, type TrainingSettings } from '../training/training-doc';
import { defineAction } from './action';
import { applyKernel, setBias, setLayerSettings } from './document-actions';

const withTraining = (doc: LabDocument, training: Partial<LabDocument['training']>): LabDocument => ({
  ...doc,
  training: { ...doc.training, ...training },
});

/** A kernel resized to kh × kw, keeping the cells that still exist (new ones 0). */
export function resizeRows(rows: readonly (readonly number[])[], [kh, kw]: Pair): number[][] {
  return Array.from({ length: kh }, (_, y) => Array.from({ length: kw }, (_, x) => rows[y]?.[x] ?? 0));
}

/**
 * Changes some settings. A new kernel shape resizes the target kernel with it (Y must come out the shape the
 * learned kernel makes) and the typed starting weights.
 */
export const setTrainingSettings = defineAction<{ patch: Partial<TrainingSettings> }>('setTrainingSettings', (doc, { patch }) => {
  const before = doc.training.settings;
  const next = { ...before, ...patch };
  const size = patch.kernelSize;
  if (size && (size[0] !== before.kernelSize[0] || size[1] !== before.kernelSize[1])) {
    next.targetKernel = resizeRows(patch.targetKernel ?? before.targetKernel, size);
    if (next.initWeight) next.initWeight = resizeRows(rowsOf(next.initWeight, ...before.kernelSize), size).flat();
  }
  const same = (Object.keys(next) as (keyof TrainingSettings)[]).every((k) => JSON.stringify(next[k]) === JSON.stringify(before[k]));
  return same ? { doc, capture: false } : { doc: withTraining(doc, { settings: next }), capture: true };
});

/** The book's run (d2l 5.1.4) with its reconstructed start, so the log prints exactly the book's numbers. */
export const loadBookRun = defineAction<void>('loadBookRun', (doc) => ({
  doc: withTraining(doc, { settings: { ...BOOK_RUN, initWeight: [...(BOOK_RUN.initWeight ?? [])], targetKernel: BOOK_RUN.targetKernel.map((r) => [...r]) } }),
  capture: true,
}));

/** What a finished run leaves in the lab: its history, one undo step. */
export const recordTrainingRun = defineAction<{ history: TrainingHistory }>('recordTrainingRun', (doc, { history }) => ({
  doc: withTraining(doc, { history }),
  capture: true,
}));

export const clearTrainingRun = defineAction<void>('clearTrainingRun', (doc) =>
  doc.training.history.losses.length === 0 ? { doc, capture: false } : { doc: withTraining(doc, { history: emptyHistory() }), capture: true },
);

/**
 * Puts a learned kernel (and bias) into layer 1, every channel pair, with layer 1 computing what the run computed
 * (convolution when it learned with flip): one undo step.
 */
export const applyLearnedKernel = defineAction<{ kernel: number[][]; bias: number; flip: boolean }>(
  'applyLearnedKernel',
  (doc, { kernel, bias, flip }) => {
    const layer = doc.layers[0];
    if (!layer || layer.kind !== 'conv') return { doc, capture: false };
    let next = applyKernel.perform(doc, { layerId: layer.id, kernel, o: 0, i: 0, everywhere: true }).doc;
    next = setLayerSettings.perform(next, { layerId: layer.id, settings: { flip } }).doc;
    for (let c = 0; c < layer.outChannels; c++) next = setBias.perform(next, { layerId: layer.id, channel: c, value: bias }).doc;
    return { doc: next, capture: true };
  },
);
