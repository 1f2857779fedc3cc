import { expect, test } from 'vitest';
import { createRouter, type Handlers } from '../services/router';

// Validation happens before any handler runs: a refused request never reaches the engine.
const route = createRouter({} as Handlers);
const call = (request: unknown) => route('netTrainingUnitGradient', request, { emit: () => undefined });
const refused = (message: string) => ({ ok: false, error: { code: 'invalid-request', message } });
const good = { runId: 1, image: { pixels: new Float32Array(784) }, layer: '4', unit: [2, 3, 5] };

test('a unit to probe is checked at the router: the run id, the layer path and the unit, each refusal naming it', async () => {
  expect(await call({ ...good, runId: 0 })).toEqual(refused('netTrainingUnitGradient: runId: run id must be at least 1'));
  expect(await call({ ...good, runId: 1.5 })).toEqual(refused('netTrainingUnitGradient: runId: run id must be a whole number'));
  expect(await call({ ...good, layer: 4 })).toEqual(refused('netTrainingUnitGradient: layer: layer must be a layer path such as "4"'));
  for (const layer of ['input', '-1', '04', '4.body.0', '']) {
    expect(await call({ ...good, layer })).toEqual(refused('netTrainingUnitGradient: layer: layer must be a top-level layer path such as "4"'));
  }
  expect(await call({ ...good, unit: [] })).toEqual(refused('netTrainingUnitGradient: unit: unit needs [feature] or [channel, row, column]'));
  expect(await call({ ...good, unit: [0, 0, 0, 0] })).toEqual(refused('netTrainingUnitGradient: unit: unit needs [feature] or [channel, row, column]'));
  expect(await call({ ...good, unit: [0, -1, 0] })).toEqual(refused('netTrainingUnitGradient: unit.1: unit index must be at least 0'));
  expect(await call({ ...good, unit: [0, 1.5, 0] })).toEqual(refused('netTrainingUnitGradient: unit.1: unit index must be a whole number'));
  expect(await call({ ...good, unit: 'all' })).toEqual(refused('netTrainingUnitGradient: unit: unit must be a list of indices'));
});

test('its image is checked as a prediction’s is: 784 pixels from 0 to 1, or a test image by index', async () => {
  expect(await call({ ...good, image: { pixels: new Float32Array(100) } })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('784') } });
  expect(await call({ ...good, image: { pixels: new Float32Array(784).fill(Number.NaN) } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('from 0 to 1') } });
  expect(await call({ ...good, image: { test: -1 } })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
});
