import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Pair } from '../geometry';
import { expandBlock } from './blocks';
import { inferSpec } from './infer';
import type { LayerSpec } from './model';
import { assembleNetwork } from './network';

const conv = (i: number, o: number, k: Pair, p: Pair = [0, 0], s: Pair = [1, 1]): LayerSpec =>
  ({ type: 'conv2d', inChannels: i, outChannels: o, kernel: k, stride: s, padding: p });

describe('inference through branches and skips', () => {
  it('an Inception block sees the union of its paths: the 5×5 path’s 5 pixels, from −2', () => {
    const [block] = expandBlock({ kind: 'inception', c1: 2, c2: [2, 3], c3: [1, 2], c4: 1 }, [1, 4, 8, 8]);
    const r = inferSpec([block], [1, 4, 8, 8]);
    expect(r.output).toEqual([1, 8, 8, 8]);
    expect(r.rows[0].field).toMatchObject({ size: [5, 5], jump: [1, 1], start: [-2, -2] });
    // The 1×1 path alone sees one pixel; the max-pool path three.
    expect(r.rows.find((x) => x.path === '0.branches.0.0')?.field.size).toEqual([1, 1]);
    expect(r.rows.find((x) => x.path === '0.branches.3.1')?.field.size).toEqual([3, 3]);
  });

  it('the union can be larger than every input’s field: a 3×1 path and a 1×3 path join into 3×3', () => {
    const r = inferSpec([{ type: 'concat', branches: [[conv(1, 1, [3, 1], [1, 0])], [conv(1, 1, [1, 3], [0, 1])]] }], [1, 1, 5, 5]);
    expect(r.rows[0].field).toMatchObject({ size: [3, 3], start: [-1, -1] });
  });

  it('a downsampling residual: the body’s 7 pixels at jump 2 hold the 1×1 shortcut’s one', () => {
    const [res] = expandBlock({ kind: 'residual_stage', channels: 6, num_residuals: 1, first_block: false }, [1, 4, 8, 8]);
    const r = inferSpec([res], [1, 4, 8, 8]);
    expect(r.output).toEqual([1, 6, 4, 4]);
    expect(r.rows.map((x) => x.path)).toEqual(['0', '0.body.0', '0.body.1', '0.body.2', '0.body.3', '0.body.4', '0.shortcut.0']);
    expect(r.rows[0].field).toMatchObject({ size: [7, 7], jump: [2, 2], start: [-3, -3] });
    expect(r.rows[6].field).toMatchObject({ size: [1, 1], jump: [2, 2], start: [0, 0] });
    // 4·6·9 + 6 + 12 + 6·6·9 + 6 + 12 + 4·6 + 6 = 606, and the container sums its children.
    expect(r.parameters).toBe(606);
    expect(r.macs).toBe(16 * 6 * 4 * 9 + 16 * 6 * 6 * 9 + 16 * 6 * 4);
  });

  it('a dense block grows by the growth rate per conv: 3 + 2·10 = 23 channels (the book’s 5.12 cell 3)', () => {
    const r = inferSpec(expandBlock({ kind: 'dense_block', num_convs: 2, growth_rate: 10 }, [4, 3, 8, 8]), [4, 3, 8, 8]);
    expect(r.output).toEqual([4, 23, 8, 8]);
    const t = inferSpec(expandBlock({ kind: 'transition', channels: 10 }, [4, 23, 8, 8]), [4, 23, 8, 8]);
    expect(t.output).toEqual([4, 10, 4, 4]);
  });

  it('the book’s Residual test cells: (4, 3, 6, 6) kept; with a 1×1 conv and stride 2 → (4, 6, 3, 3)', () => {
    expect(inferSpec(expandBlock({ kind: 'residual_stage', channels: 3, num_residuals: 1, first_block: true }, [4, 3, 6, 6]), [4, 3, 6, 6]).output).toEqual([4, 3, 6, 6]);
    expect(inferSpec(expandBlock({ kind: 'residual_stage', channels: 6, num_residuals: 1, first_block: false }, [4, 3, 6, 6]), [4, 3, 6, 6]).output).toEqual([4, 6, 3, 3]);
  });
});

describe('specs that do not fit are refused by layer', () => {
  it('a conv whose input channels do not match', () => {
    expect(() => inferSpec([conv(3, 4, [3, 3])], [1, 1, 8, 8])).toThrow('layer 0 (conv2d): conv2d expects 3 input channels but its input (1, 1, 8, 8) has 1');
  });

  it('a first residual stage whose channels differ from its input cannot add its identity shortcut', () => {
    expect(() => assembleNetwork('Mine', [1, 32, 8, 8], [{ name: 'stage', block: { kind: 'residual_stage', channels: 64, num_residuals: 2, first_block: true } }]))
      .toThrow('Mine at 8×8: stage (residual_stage): layer 0 (residual): the body gives (1, 64, 8, 8) but the shortcut gives (1, 32, 8, 8); adding them needs equal shapes');
  });

  it('a layer deep in a branch is named by its path', () => {
    const bad: LayerSpec = { type: 'concat', branches: [[], [{ type: 'batchnorm', channels: 5, momentum: 0.9, eps: 1e-5 }]] };
    expect(() => inferSpec([conv(1, 4, [1, 1]), bad], [1, 1, 4, 4])).toThrow('layer 1.branches.1.0 (batchnorm): batchnorm has 5 channels but its input (1, 4, 4, 4) has 4');
  });

  it('branches whose maps differ in size cannot be joined', () => {
    const bad: LayerSpec = { type: 'concat', branches: [[], [conv(1, 1, [3, 3])]] };
    expect(() => inferSpec([bad], [1, 1, 4, 4])).toThrow('layer 0 (concat): branch 1 gives (1, 1, 2, 2) but branch 0 gives (1, 1, 4, 4); concat needs equal N, H and W');
  });

  it('a dense layer whose features do not match, a conv after a flatten, an unknown type', () => {
    expect(() => inferSpec([{ type: 'dense', inFeatures: 10, outFeatures: 2 }], [1, 1, 4, 4])).toThrow('layer 0 (dense): dense expects 10 input features but its input (1, 1, 4, 4) flattens to 16');
    expect(() => inferSpec([{ type: 'flatten' }, conv(1, 1, [1, 1])], [1, 1, 4, 4])).toThrow('layer 1 (conv2d): conv2d needs an NCHW input, got (1, 16)');
    expect(() => inferSpec([{ type: 'softmax' } as unknown as LayerSpec], [1, 1, 4, 4])).toThrow("layer 0 (softmax): unknown layer type 'softmax'");
  });

  it('settings outside their rule', () => {
    expect(() => inferSpec([conv(1, 1, [0, 3])], [1, 1, 4, 4])).toThrow('layer 0 (conv2d): kernel must be a whole number ≥ 1, got 0');
    expect(() => inferSpec([{ type: 'dropout', rate: 1 }], [1, 1, 4, 4])).toThrow('layer 0 (dropout): dropout rate must be in [0, 1), got 1');
  });
});

/** reference-2's training models in the engine's spec, to check paths (the nets helper's runner reads them for real). */
function specOf(model: Record<string, unknown>[]): LayerSpec[] {
  return model.map((l) => {
    switch (l.type) {
      case 'conv2d': return conv(l.in_channels as number, l.out_channels as number, l.kernel as Pair, l.padding as Pair, l.stride as Pair);
      case 'dense': return { type: 'dense', inFeatures: l.in_features as number, outFeatures: l.out_features as number };
      case 'batchnorm': return { type: 'batchnorm', channels: l.channels as number, momentum: 0.9, eps: 1e-5 };
      case 'maxpool': return { type: 'maxpool', kernel: l.kernel as Pair, stride: l.stride as Pair, padding: l.padding as Pair };
      case 'avgpool': return { type: 'avgpool', kernel: l.kernel as Pair, stride: l.stride as Pair, padding: l.padding as Pair, countIncludePad: l.count_include_pad as boolean };
      case 'residual': return { type: 'residual', body: specOf(l.body as Record<string, unknown>[]), shortcut: specOf(l.shortcut as Record<string, unknown>[]) };
      case 'concat': return { type: 'concat', branches: (l.branches as Record<string, unknown>[][]).map(specOf) };
      default: return { type: l.type } as LayerSpec;
    }
  });
}

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE_2 = [path.resolve(here, '../../../shared/reference/reference-2.json'), path.resolve(here, '../test-support/reference-2.json')].find(existsSync);
type TrainingCase = { id: string; model: Record<string, unknown>[]; x: { shape: number[] }; final_params: { path: string; tensor: { shape: number[] } }[] };

describe.skipIf(!REFERENCE_2)('row paths are the Params paths of reference-2’s training models', () => {
  const cases = REFERENCE_2 ? (JSON.parse(readFileSync(REFERENCE_2, 'utf8')) as { training: TrainingCase[] }).training : [];
  for (const c of cases) {
    it(c.id, () => {
      const r = inferSpec(specOf(c.model), c.x.shape);
      const owners = r.rows.filter((x) => ['conv2d', 'dense', 'batchnorm'].includes(x.spec.type));
      expect(owners.map((x) => x.path)).toEqual([...new Set(c.final_params.map((p) => p.path.replace(/\.[a-z_]+$/, '')))]);
      // Each owner's parameter count is its trainable tensors' size (BN's moving statistics are not counted).
      for (const o of owners) {
        const mine = c.final_params.filter((p) => p.path.startsWith(`${o.path}.`) && !p.path.includes('.moving_'));
        expect(o.parameters).toBe(mine.reduce((a, p) => a + p.tensor.shape.reduce((m, d) => m * d, 1), 0));
      }
    });
  }
});
