// The net probe against a scripted API: one request at a time with only the newest unit waiting, answers for a unit
// no longer pointed at dropped, pins held through a pointer leaving and let go when their unit is gone.
import { expect, test, vi } from 'vitest';
import { nextTick, shallowRef } from 'vue';
import { inferSpec } from '../../../core/nets/infer';
import { lenetSpec } from '../../../core/nets/lenet';
import type { NetPrediction } from '../../../electron/contract/contract';

const asked: { request: { layer: string; unit: number[] }; resolve: (value: unknown) => void }[] = [];
vi.mock('../api/client', () => ({
  api: { netTrainingUnitGradient: (request: { layer: string; unit: number[] }) => new Promise((resolve) => asked.push({ request, resolve })) },
}));

function prediction(channels: [number, number]): NetPrediction {
  const rows = inferSpec(lenetSpec({ channels }), [1, 1, 28, 28]).rows;
  const layer = (path: string, type: string, shape: number[]) => ({ path, type, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  return { probabilities: [], ranking: [], label: null, layers: [layer('input', 'input', [1, 1, 28, 28]), ...rows.map((r) => layer(r.path, r.spec.type, r.output))] };
}
const move = (y: number, x: number) => ({ type: 'move' as const, y, x, shift: false, buttons: 0 });
const settle = async () => {
  for (let i = 0; i < 5; i++) await nextTick();
};

test('while one gradient is asked for, only the newest unit waits; an answer for a unit left behind is not shown', async () => {
  const { useNetProbe } = await import('./useNetProbe');
  const shown = shallowRef(prediction([6, 16]));
  const probe = useNetProbe(() => shown.value, () => 7);
  probe.onPointer(3, 2, move(1, 5));
  await settle();
  probe.onPointer(3, 2, move(1, 6));
  probe.onPointer(3, 2, move(1, 7));
  await settle();
  expect(asked.map((a) => a.request.unit)).toEqual([[2, 1, 5]]);
  expect(asked[0].request.layer).toBe('4');
  const gradient = new Float32Array(784);
  gradient[3 * 28 + 12] = 0.5;
  asked[0].resolve({ ok: true, value: { layer: '4', unit: [2, 1, 5], gradient: { shape: [1, 1, 28, 28], data: gradient }, boxes: [] } });
  await settle();
  // The first answer was for (1, 5): the pointer is at (1, 7) now, so nothing is painted, and (1, 7) is asked next.
  expect(probe.heat.value).toBeNull();
  expect(asked.map((a) => a.request.unit)).toEqual([[2, 1, 5], [2, 1, 7]]);
  asked[1].resolve({ ok: true, value: { layer: '4', unit: [2, 1, 7], gradient: { shape: [1, 1, 28, 28], data: gradient }, boxes: [{ top: 2, left: 14, bottom: 15, right: 27 }] } });
  await settle();
  expect(probe.heat.value).toBe(gradient);
  expect(probe.extent.value).toEqual({ reached: 1, box: { top: 3, left: 12, bottom: 3, right: 12 } });
  expect(probe.outlines(0, 0)).toEqual([{ top: 2, left: 14, bottom: 15, right: 27, kind: 'field' }]);
  expect(probe.outlines(3, 2)).toEqual([{ top: 1, left: 7, bottom: 1, right: 7, kind: 'unit' }]);
});

test('a pin holds when the pointer leaves, and lets go when other settings leave its unit out', async () => {
  asked.length = 0;
  const { useNetProbe } = await import('./useNetProbe');
  const shown = shallowRef(prediction([6, 16]));
  const probe = useNetProbe(() => shown.value, () => 7);
  probe.onKeyboard(4, 12, { type: 'pin', y: 3, x: 0 });
  probe.onPointer(4, 12, { ...move(0, 0), type: 'leave' });
  await settle();
  expect(probe.pinned.value).toEqual({ block: 4, c: 12, y: 3, x: 0 });
  expect(probe.outlines(4, 12)).toEqual([{ top: 3, left: 0, bottom: 3, right: 0, kind: 'pinned' }]);
  expect(asked.map((a) => [a.request.layer, a.request.unit])).toEqual([['5', [12, 3, 0]]]);
  // Eight conv2 channels: channel 13 of pool2 is gone, and so is the pin.
  shown.value = prediction([6, 8]);
  await settle();
  expect(probe.pinned.value).toBeNull();
  expect(probe.outlines(4, 12)).toEqual([]);
});
