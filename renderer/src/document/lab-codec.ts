/**
 * The lab document to and from the lab file's content: Float32Arrays become lists of numbers written as the shortest
 * decimals that read back to the same float32 (0.1, not 0.10000000149011612), and layers get fresh ids on load.
 */
import type { Lab } from '../../../electron/contract/lab-file';
import { fromLayerSpec, toLayerSpec, type LabDocument, type Layer } from './document';
import type { TrainingDoc } from '../training/training-doc';

// The file's training part and the renderer's must stay the same shape: a field added to TrainingDoc without one in
// the file's schema (electron/contract/lab-file-v1.ts) fails to compile here, so nothing is silently left unsaved.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const trainingMatches: Same<Lab['training'], TrainingDoc> = true;
void trainingMatches;

/** The shortest decimal that is the same float32: what a person would have typed. */
export function float32Number(value: number): number {
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(target.toPrecision(digits));
    if (Math.fround(short) === target) return short;
  }
  return target;
}

const numbers = (data: Float32Array): number[] => Array.from(data, float32Number);

/** A layer as the file keeps it: the table's kind and settings, its tensors as lists of numbers. */
function layerToFile(layer: Layer): Lab['layers'][number] {
  const spec = structuredClone(toLayerSpec(layer));
  if (!('weight' in spec)) return spec;
  const { weight, bias, ...settings } = spec;
  return { ...settings, weight: numbers(weight.data), bias: numbers(bias) };
}

/** A file's layer (already through the gate) as the editor's, its tensors as Float32Arrays. */
function layerFromFile(layer: Lab['layers'][number]): Layer {
  const spec = structuredClone(layer);
  if (!('weight' in spec)) return fromLayerSpec(spec);
  const shape: [number, number, number, number] = [spec.outChannels, spec.inChannels, ...spec.kernel];
  return fromLayerSpec({ ...spec, weight: { shape, data: Float32Array.from(spec.weight) }, bias: Float32Array.from(spec.bias) });
}

/** A run that diverged may end in values JSON cannot hold: the history is kept up to its last finite step. */
function finiteHistory(history: TrainingDoc['history']): TrainingDoc['history'] {
  const bad = (x: number) => !Number.isFinite(x);
  let end = history.losses.findIndex(bad);
  const weightEnd = history.weights.findIndex((w) => w.some(bad));
  const biasEnd = history.biases.findIndex(bad);
  for (const at of [weightEnd, biasEnd]) if (at >= 0 && (end < 0 || at < end)) end = at;
  if (end < 0) return history;
  return {
    ...history,
    losses: history.losses.slice(0, end),
    weights: history.weights.slice(0, end),
    biases: history.biases.slice(0, end),
    ...(history.at ? { at: history.at.slice(0, end) } : {}),
  };
}

/** The document as the file's content (plain JSON data). */
export function toLab(doc: LabDocument): Lab {
  const { settings, history } = doc.training;
  return {
    input: { channels: doc.input.channels, height: doc.input.height, width: doc.input.width, data: numbers(doc.input.data) },
    layers: doc.layers.map(layerToFile),
    training: {
      settings: { ...settings, targetKernel: settings.targetKernel.map((row) => [...row]), kernelSize: [...settings.kernelSize], initWeight: settings.initWeight && [...settings.initWeight] },
      history: finiteHistory(history),
    },
    net: doc.net,
  };
}

/** The file's content (already through the gate) as a document. */
export function fromLab(lab: Lab): LabDocument {
  return {
    input: { channels: lab.input.channels, height: lab.input.height, width: lab.input.width, data: Float32Array.from(lab.input.data) },
    layers: lab.layers.map(layerFromFile),
    training: structuredClone(lab.training),
    net: lab.net,
  };
}
