// The opened model's store against a scripted API: a dropped file past the limit is refused by its size before its
// bytes are read; an opened model shows in the Network mode; the preprocessing is remembered per model by name; a
// pass reads the drawing as the model's input and answers the top classes.
import { beforeEach, expect, test, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { OpenedModel } from '../../../electron/contract/model-contract';

const calls: { name: string; request: unknown }[] = [];
let settings: Record<string, unknown> = { locale: 'en', theme: 'light', zoom: 1 };
const MODEL: OpenedModel = {
  modelId: 7, name: 'tiny.onnx', opset: 13, producer: 'pytorch', notes: [], parameters: 0, multiplyAdds: 0,
  inputs: [{ name: 'x', shape: [1, 1, 2, 2] }], outputs: [{ name: 'y', shape: [1, 3] }],
  rows: [
    { name: '/conv/Conv', op: 'Conv', from: [], shape: [1, 100, 2, 2], parameters: 100, multiplyAdds: 400 },
    { name: '/fc/Gemm', op: 'Gemm', from: ['/conv/Conv'], shape: [1, 3], parameters: 15, multiplyAdds: 12 },
  ],
};
vi.mock('../api/client', () => ({
  api: {
    host: 'electron',
    modelOpenBytes: async (request: unknown) => (calls.push({ name: 'modelOpenBytes', request }), { ok: true, value: MODEL }),
    modelForward: async (request: unknown) => (calls.push({ name: 'modelForward', request }), { ok: true, value: { outputs: [], top: [{ index: 2, score: 0.5 }], nodes: [] } }),
    modelMaps: async (request: { offset: number; count?: number }) => (
      calls.push({ name: 'modelMaps', request }), { ok: true, value: { name: 'y', shape: [1, request.count ?? 3, 2, 2], data: new Float32Array(4 * (request.count ?? 3)) } }
    ),
    setSettings: async (patch: Record<string, unknown>) => ((settings = { ...settings, ...patch }), { ok: true, value: settings }),
  },
}));
vi.mock('../i18n', () => ({ i18n: { global: { t: (key: string) => key } }, setLocale: () => {} }));
vi.mock('./lab', () => ({
  useLabStore: () => ({ doc: { input: { channels: 1, height: 2, width: 2, data: new Float32Array([0, 0.5, 1, 0.25]) } } }),
}));
vi.stubGlobal('window', { matchMedia: () => ({ matches: false, addEventListener: () => {} }) });
vi.stubGlobal('document', { documentElement: { dataset: {} } });
vi.stubGlobal('navigator', { language: 'en' });

beforeEach(() => {
  setActivePinia(createPinia());
  calls.length = 0;
});

/** A file whose bytes fail the test if read. */
const fileOfSize = (size: number, name = 'big.onnx') =>
  ({ name, size, arrayBuffer: () => Promise.reject(new Error('read a file past the limit')) }) as unknown as File;

test('a dropped model past the limit is refused by its size, its bytes never read', async () => {
  const { useModelStore } = await import('./model');
  const model = useModelStore();
  await model.openFile(fileOfSize(300 * 1024 * 1024));
  expect(model.refusal).toBe('model.open.tooLarge');
  expect(calls).toEqual([]);
  expect(model.opened).toBeNull();
});

test('an opened model is shown, runs the drawing at its input size and remembers its preprocessing by name', async () => {
  const { useModelStore } = await import('./model');
  const model = useModelStore();
  const bytes = new Uint8Array([1, 2, 3]);
  await model.openFile({ name: 'tiny.onnx', size: 3, arrayBuffer: async () => bytes.buffer } as unknown as File);
  expect(calls[0]).toEqual({ name: 'modelOpenBytes', request: { name: 'tiny.onnx', bytes } });
  expect(model.shown).toBe(true);
  expect(model.preprocessing.colour).toBe('grey');
  await model.run();
  const forward = calls[1].request as { input: { shape: number[]; data: Float32Array }; topK: number };
  expect(forward.input.shape).toEqual([1, 1, 2, 2]);
  expect(Array.from(forward.input.data)).toEqual([0, 0.5, 1, 0.25]);
  expect(model.pass?.top).toEqual([{ index: 2, score: 0.5 }]);
  await model.setPreprocessing({ range: 255 });
  expect((settings.modelPreprocessing as Record<string, { range: number }>)['tiny.onnx'].range).toBe(255);
  expect(model.preprocessing.range).toBe(255);
});

test("a node's maps come a page of 64 channels at a time, the last page holding what is left", async () => {
  const { useModelStore } = await import('./model');
  const model = useModelStore();
  await model.openFile({ name: 'tiny.onnx', size: 3, arrayBuffer: async () => new ArrayBuffer(3) } as unknown as File);
  await model.run();
  await model.viewNode('/conv/Conv');
  await model.viewNode('/conv/Conv', 64);
  await model.viewNode('/fc/Gemm');
  const asked = calls.filter((c) => c.name === 'modelMaps').map((c) => c.request);
  expect(asked).toEqual([
    { modelId: 7, node: '/conv/Conv', offset: 0, count: 64 },
    { modelId: 7, node: '/conv/Conv', offset: 64, count: 36 },
    { modelId: 7, node: '/fc/Gemm', offset: 0 },
  ]);
  expect(model.mapOffset).toBe(0);
});
