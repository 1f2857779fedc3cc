// The fixtures agree with themselves: onnxruntime runs every fixture model on its saved input and gives the
// PyTorch outputs saved beside it, so a runner that disagrees with a fixture is wrong, not the fixture.
import { describe, expect, it } from 'vitest';
import { type FixtureTensor, fixtureIo, fixtureModels } from './fixture-paths';

const ort = await import('onnxruntime-node').catch((e: unknown) => {
  console.log(`skipped: onnxruntime-node does not load here (${e instanceof Error ? e.message : String(e)})`);
  return null;
});

/** |got − want| ≤ 1e-5 · max(1, |want|) for every value: the worst ratio to that bound. */
function worst(got: ArrayLike<number>, want: FixtureTensor): number {
  let w = 0;
  for (let i = 0; i < want.data.length; i++) w = Math.max(w, Math.abs(got[i] - want.data[i]) / (1e-5 * Math.max(1, Math.abs(want.data[i]))));
  return w;
}

describe.skipIf(!ort)("onnxruntime gives every fixture's saved PyTorch outputs", () => {
  for (const folder of ['ops', 'nets', 'shapes']) {
    it(`${folder}/`, async () => {
      const paths = fixtureModels(folder);
      expect(paths.length).toBeGreaterThan(folder === 'ops' ? 50 : 2);
      for (const path of paths) {
        const io = fixtureIo(path);
        const session = await ort!.InferenceSession.create(path);
        const feeds = Object.fromEntries(io.inputs.map((t) => [t.name, new ort!.Tensor('float32', Float32Array.from(t.data), t.shape)]));
        const got = await session.run(feeds);
        for (const want of io.outputs) {
          expect(got[want.name].dims, `${path}: ${want.name}`).toEqual(want.shape);
          expect(worst(got[want.name].data as Float32Array, want), `${path}: ${want.name}`).toBeLessThanOrEqual(1);
        }
        await session.release();
      }
    });
  }
});
