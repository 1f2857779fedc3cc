import { expect, test } from 'vitest';
import { createRouter, type Handlers } from '../services/router';
import { BOOK_NET_SETTINGS } from './net-contract';

// Validation happens before any handler runs: a refused request never reaches the engine.
const route = createRouter({} as Handlers);
const call = (name: string, request: unknown) => route(name, request, { emit: () => undefined });
const refused = (message: string) => ({ ok: false, error: { code: 'invalid-request', message } });

test('LeNet settings are checked at the router, each refusal naming the setting and its rule', async () => {
  const start = (patch: object) => call('netTrainingStart', { settings: { ...BOOK_NET_SETTINGS, ...patch } });
  expect(await start({ lr: 0 })).toEqual(refused('netTrainingStart: settings.lr: learning rate must be positive'));
  expect(await start({ lr: Number.NaN })).toEqual(refused('netTrainingStart: settings.lr: learning rate must be a number'));
  expect(await start({ lr: Infinity })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^netTrainingStart: settings.lr: learning rate must be finite/) } });
  expect(await start({ batchSize: 2048 })).toEqual(refused('netTrainingStart: settings.batchSize: batch size must be at most 1024'));
  expect(await start({ epochs: 1.5 })).toEqual(refused('netTrainingStart: settings.epochs: epochs must be a whole number'));
  expect(await start({ channels: [6, 65] })).toEqual(refused('netTrainingStart: settings.channels.1: conv2 channels must be at most 64'));
  expect(await start({ activation: 'softplus' })).toEqual(refused('netTrainingStart: settings.activation: activation must be sigmoid, relu or tanh'));
  expect(await start({ momentum: 1 })).toEqual(refused('netTrainingStart: settings.momentum: momentum must be below 1'));
});

test('a drawing to classify must be 784 finite values from 0 to 1', async () => {
  const predict = (pixels: Float32Array) => call('netTrainingPredict', { runId: 1, image: { pixels } });
  expect(await predict(new Float32Array(100))).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('784') } });
  expect(await predict(new Float32Array(784).fill(2))).toMatchObject({ ok: false, error: { message: expect.stringContaining('from 0 to 1') } });
  expect(await call('netTrainingControl', { runId: 1, command: 'step' })).toEqual(refused('netTrainingControl: command: command must be pause, resume or stop'));
});

test('a net to load is checked by the lab file gate: a wrong shape or NaN is refused naming the tensor', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const bad = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../services/fixtures/bad', name), 'utf8')).lab.net;
  expect(await call('netTrainingLoad', { net: bad('net-wrong-shape.json') })).toEqual(
    refused('netTrainingLoad: net.params.2: parameter 3.weight has shape 3×2×5×4 but the network needs 3×2×5×5'),
  );
  expect(await call('netTrainingLoad', { net: bad('net-nan.json') })).toEqual(refused('netTrainingLoad: net.params.1: parameter 0.bias value 1 is NaN; weights must be finite numbers'));
  expect(await call('netTrainingLoad', { net: bad('net-unknown-path.json') })).toMatchObject({ ok: false, error: { message: expect.stringContaining('4.bias belongs to no layer') } });
});

test('settings a net cannot be built from are refused by field and rule before any engine runs', async () => {
  const net = (patch: object) => ({ settings: { ...BOOK_NET_SETTINGS, net: 'nin', divisor: 8, ...patch }, params: [], history: { epochs: [], batchLosses: [], batchStride: 1 } });
  expect(await call('netTrainingLoad', { net: net({ divisor: 0 }) })).toEqual(refused('netTrainingLoad: net.settings.divisor: width divisor must be at least 1'));
  expect(await call('netTrainingLoad', { net: [] })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/^netTrainingLoad: net.settings: net must be an object, not a list/) } });
  expect(await call('netTrainingLoad', { net: { params: [] } })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^netTrainingLoad: net.settings: settings is missing/) } });
  const start = (channels: unknown) => call('netTrainingStart', { settings: { ...BOOK_NET_SETTINGS, channels } });
  expect(await start([6, 16, 1])).toEqual(refused('netTrainingStart: settings.channels.2: channels holds exactly two widths [conv1, conv2]'));
  expect(await start(new Array(1_000_000).fill(6))).toEqual(refused('netTrainingStart: settings.channels.2: channels holds exactly two widths [conv1, conv2]'));
  expect(await start('6,16')).toEqual(refused('netTrainingStart: settings.channels: channels must be a list of two widths [conv1, conv2], not "6,16"'));
});
