/**
 * A guide scene: one code cell of the book, the lab document that runs it, and what the book prints beside how
 * ConvLab's answer is read off the engine's maps. The same reading serves the panel and the unit tests.
 */
import type { MapData } from '../../../electron/contract/contract';
import { inputMap, type LabDocument } from '../document/document';
import { formulaFor } from '../layer-math/formula-terms';
import { nest, pythonShape, text, type Nested, type Printed } from './printed';

export type SceneDoc = Omit<LabDocument, 'training'>;

/** A scene's document and the engine's outputs for it, one map per layer. */
export interface SceneRun {
  doc: SceneDoc;
  outputs: readonly MapData[];
}

export interface SceneCheck {
  /** What the book prints. */
  book: Printed;
  /** ConvLab's answer, read off the run (null while there is none). */
  ours(run: SceneRun): Printed | null;
  /** An i18n key naming what is compared, when a scene compares more than one thing. */
  label?: string;
}

export interface GuideScene {
  id: string;
  /** The i18n prefix of its title and text. */
  i18n: string;
  /** The book's code cell, verbatim (Python is not translated). */
  code?: string;
  build(): SceneDoc;
  checks: readonly SceneCheck[];
  /** A unit to point at once the scene is loaded: [layer (1-based), row, column]. */
  probe?: [number, number, number];
  /** The scene continues in the training panel. */
  training?: boolean;
  /** Something written out beside the comparison: layer 1's output-size formula, or the 1×1 matrix product. */
  explain?: 'outputSize' | 'matrixProduct';
}

const last = (run: SceneRun): MapData | null => (run.doc.layers.length === 0 ? null : (run.outputs[run.doc.layers.length - 1] ?? null));

/**
 * The last layer's output as the book prints it: rank 2 is its first channel (a 2-D corr2d result), rank 3 every
 * channel (corr2d_multi_in_out), rank 4 the whole NCHW map (a Gluon layer's output).
 */
export function lastOutput(book: Nested[], rank: 2 | 3 | 4 = 2): SceneCheck {
  return {
    book: { kind: 'array', value: book },
    ours: (run) => {
      const out = last(run);
      if (!out) return null;
      const [, c, h, w] = out.shape;
      if (rank === 2) return { kind: 'array', value: nest(out.data.subarray(0, h * w), [h, w]) };
      return { kind: 'array', value: nest(out.data, rank === 3 ? [c, h, w] : out.shape) };
    },
  };
}

/** The input itself, as NCHW (the book prints X before pooling it). */
export function inputArray(book: Nested[]): SceneCheck {
  return { book: { kind: 'array', value: book }, ours: (run) => ({ kind: 'array', value: nest(run.doc.input.data, inputMap(run.doc.input).shape) }), label: 'guideChapters.compare.input' };
}

/** The last output's height and width, as comp_conv2d prints them: `(8, 8)`. */
export function outputShape(book: string): SceneCheck {
  return {
    book: text(book),
    ours: (run) => {
      const out = last(run);
      return out ? text(pythonShape(out.shape.slice(2))) : null;
    },
  };
}

/** Layer `index`'s kernel shape, c_o × c_i × k_h × k_w, as `K.shape` prints it. */
export function kernelShape(book: string, index = 0): SceneCheck {
  return {
    book: text(book),
    ours: (run) => {
      const layer = run.doc.layers[index];
      return layer?.kind === 'conv' ? text(pythonShape([layer.outChannels, layer.inChannels, ...layer.kernelSize])) : null;
    },
    label: 'guideChapters.compare.kernelShape',
  };
}

const integerText = (v: number) => (Object.is(v, -0) ? '0' : String(Number(v.toPrecision(7))));

/** One output cell of layer 1 written out as the book's figures write it: `0×0 + 0×1 + 1×2 + 2×3 = 8`. */
export function cellSum(book: string, y: number, x: number): SceneCheck {
  return {
    book: text(book),
    ours: (run) => {
      const layer = run.doc.layers[0];
      const out = run.outputs[0];
      if (!layer || !out) return null;
      const [, , h, w] = out.shape;
      if (y >= h || x >= w) return null;
      const below = { channels: run.doc.input.channels, height: run.doc.input.height, width: run.doc.input.width, data: run.doc.input.data };
      const f = formulaFor(layer, below, { c: 0, y, x }, out.data[y * w + x]);
      if (f.kind !== 'conv') return null;
      const bias = f.bias === 0 ? '' : ` + ${integerText(f.bias)}`;
      return text(`${f.terms.map((t) => `${integerText(t.x)}×${integerText(t.k)}`).join(' + ')}${bias} = ${integerText(f.y)}`);
    },
    label: 'guideChapters.compare.cell',
  };
}
