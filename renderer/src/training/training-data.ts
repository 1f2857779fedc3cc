/** The data a run learns from: X (the lab's drawing or the book's bars) and Y (X through the target, or layer 1). */
import type { LayerSpec, MapData, RequestOf, Result } from '../../../electron/contract/contract';
import { inputMap, makeConv, toLayerSpec, type LabDocument } from '../document/document';
import { barsImage } from '../document/input-presets';
import type { TrainingSettings } from './training-doc';

type Forward = (request: { input: MapData; layers: LayerSpec[] }) => Promise<Result<{ outputs: MapData[] }>>;

/** X for the given settings. */
export function trainingInput(doc: LabDocument, s: TrainingSettings): MapData {
  return inputMap(s.input === 'bars' ? barsImage() : doc.input);
}

/** The target kernel as a plain cross-correlation layer: Y is what it makes of X. */
export function targetLayer(kernel: readonly (readonly number[])[]): LayerSpec {
  return toLayerSpec(makeConv(kernel));
}

/**
 * Y for X, computed in the engine: through the target kernel, or through layer 1 of the stack as it is (its first
 * output channel). Answers the engine's refusal when the shapes do not fit.
 */
export async function trainingTarget(forward: Forward, doc: LabDocument, s: TrainingSettings, x: MapData): Promise<Result<MapData>> {
  const layer = s.target === 'layer1' && doc.layers[0] ? toLayerSpec(doc.layers[0]) : targetLayer(s.targetKernel);
  const result = await forward({ input: x, layers: [layer] });
  if (!result.ok) return result;
  const out = result.value.outputs[0];
  const [, c, h, w] = out.shape;
  return { ok: true, value: c === 1 ? out : { shape: [1, 1, h, w], data: out.data.slice(0, h * w) } };
}

/** Milliseconds between iterations: a short run is paced so it can be watched (the book's 10 take 1.5 s), a long one runs flat out. */
export function paceFor(iterations: number): number {
  return iterations <= 10 ? 150 : iterations <= 100 ? Math.round(1500 / iterations) : 0;
}

/** The engine's request for a run of these settings on X and Y (the caller picks true convolution and the pace). */
export function trainRequest(s: TrainingSettings, x: MapData, y: MapData, flip: boolean, pace: number): RequestOf<'trainStart'> {
  return {
    x,
    y,
    kernel: s.kernelSize,
    // A fresh copy each time: the request's arrays are handed to the worker.
    initWeight: s.initWeight ? Float32Array.from(s.initWeight) : undefined,
    seed: s.initWeight ? undefined : s.seed,
    learnBias: s.learnBias,
    lr: s.lr,
    iterations: s.iterations,
    flip,
    pace,
  };
}
