/** Every case of reference-2 (chapter 5's layers and the training runs), each its own test, under its list's tolerance, on each kernel path. */
import { describe, expect, it } from 'vitest';
import { REFERENCE_2_LISTS, RUNNERS_2 } from './conformance-2';
import { Score, type Json } from './conformance-case';
import { learnableCount } from './nets/params';
import { parseReferenceModel } from './nets/reference-model';
import { onEachKernelPath } from './test-support/kernel-paths';
import { loadReference2, reference2Cases } from './test-support/reference';

const scales = (loadReference2().tolerance as { scale: Record<string, number> }).scale;

// Batch norm, the sigmoid, pooling, dense layers and convolutions have WebAssembly twins: every case on both paths.
onEachKernelPath(() => {
  for (const list of REFERENCE_2_LISTS) {
    if (list === 'architectures') continue;
    describe(`reference-2 ${list}`, () => {
      for (const c of reference2Cases<Json>(list)) {
        it(String(c.id), () => {
          const s = new Score(scales[list]);
          RUNNERS_2[list](c, s);
          expect(s.detail ?? '', `worst error ${s.maxError}`).toBe('');
          expect(s.pass).toBe(true);
        });
      }
    });
  }
});

describe('reference-2 training models', () => {
  it("lenet_5_5 is the book's LeNet: 44,426 learnable values", () => {
    const c = reference2Cases<Json>('training').find((t) => t.id === 'lenet_5_5')!;
    expect(learnableCount(parseReferenceModel(c.model).spec)).toBe(44_426);
  });

  it('a training case whose final weight is nudged beyond 1e-4 fails and names the parameter', () => {
    const c = structuredClone(reference2Cases<Json>('training').find((t) => t.id === 'tiny_nin')!);
    ((c.final_params as { path: string; tensor: { data: number[] } }[])[0].tensor.data)[2] += 1e-3;
    const s = new Score(scales.training);
    RUNNERS_2.training(c, s);
    expect(s.pass).toBe(false);
    expect(s.detail).toMatch(/^0\.weight\[2\]: got /);
  });
});
