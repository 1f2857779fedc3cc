import { describe, expect, test } from 'vitest';
import { createRouter, ServiceError, type Handlers } from './router';

const context = { emit: () => undefined };
const calls: string[] = [];
const handlers = {
  appInfo: () => ({ name: 'ConvLab', version: '0', host: 'web', platform: 'linux', systemLocale: 'en' }),
  getSettings: () => ({ locale: 'en', theme: 'system', zoom: 1 }),
  setSettings: (patch: object) => ({ locale: 'en', theme: 'system', zoom: 1, ...patch }),
  forward: () => {
    calls.push('forward');
    return { outputs: [] };
  },
  probe: () => {
    throw Object.assign(new Error('layer 1 (conv): kernel 5×5 is larger than the padded input 3×3'), { code: 'shape' });
  },
  trainStart: () => {
    throw new ServiceError('busy', 'a run is already going');
  },
  trainControl: () => {
    throw new TypeError('boom');
  },
} as unknown as Handlers;
const route = createRouter(handlers);
const image = (h: number, w: number, data = new Float32Array(h * w)) => ({ shape: [1, 1, h, w], data });

describe('the router: the one door into the main side', () => {
  test('routes a valid request and answers { ok: true, value }', async () => {
    expect(await route('forward', { input: image(2, 2), layers: [] }, context)).toEqual({ ok: true, value: { outputs: [] } });
  });

  test('refuses what the contract does not allow, naming the problem, before any handler runs', async () => {
    calls.length = 0;
    const cases: [string, unknown, RegExp][] = [
      ['nope', {}, /there is no call named "nope"/],
      ['toString', {}, /there is no call named "toString"/],
      ['forward', null, /forward: /],
      ['forward', { input: image(2, 2, new Float32Array(3)), layers: [] }, /data length does not match its shape/],
      ['forward', { input: image(1, 2, Float32Array.from([0, Infinity])), layers: [] }, /Infinity at index 1/],
      ['forward', { input: image(513, 1), layers: [] }, /height must be at most 512/],
      ['forward', { input: { shape: [1, 1, 1, 1], data: [0] }, layers: [] }, /must be a Float32Array/],
      [
        'forward',
        { input: image(3, 3), layers: [{ kind: 'pool', mode: 'median', kernel: [2, 2], stride: [1, 1], padding: [0, 0], countIncludePad: true }] },
        /unknown layer type/,
      ],
      [
        'forward',
        {
          input: image(3, 3),
          layers: [{ type: 'conv2d', outChannels: 1, inChannels: 1, kernel: [1, 1], weight: { shape: [1, 1, 1, 1], data: new Float32Array(1) }, bias: new Float32Array(1), stride: [0, 1], padding: [0, 0], dilation: [1, 1], flip: false }],
        },
        /stride \(height\) must be at least 1/,
      ],
      ['forwardWindows', { input: image(2, 2), layers: [], since: 42 }, /since must be the state of the last answer, or null/],
      ['forwardWindows', { input: image(2, 2), layers: [], since: 'x'.repeat(65) }, /since must be at most 64 characters/],
      ['forwardWindows', { input: image(2, 2), layers: [] }, /forwardWindows: since/],
      ['forwardWindows', { layers: [], since: null }, /send either the whole input or the window of it that changed/],
      ['forwardWindows', { input: image(2, 2), inputWindow: { shape: [1, 1, 2, 2], y: 0, x: 0, height: 1, width: 1, data: new Float32Array(1) }, layers: [], since: 'a:1' }, /either the whole input or the window/],
      ['forwardWindows', { inputWindow: { shape: [1, 1, 2, 2], y: 0, x: 0, height: 1, width: 1, data: new Float32Array(1) }, layers: [], since: null }, /an input window needs since/],
      ['forwardWindows', { inputWindow: { shape: [1, 1, 2, 2], y: 1, x: 0, height: 2, width: 1, data: new Float32Array(2) }, layers: [], since: 'a:1' }, /input window: it reaches outside the input/],
      ['forwardWindows', { inputWindow: { shape: [1, 1, 2, 2], y: 0, x: 0, height: 1, width: 2, data: new Float32Array(3) }, layers: [], since: 'a:1' }, /input window: data length does not match/],
      ['forwardWindows', { inputWindow: { shape: [1, 1, 2, 2], y: 0, x: 0, height: 1, width: 1, data: Float32Array.of(NaN) }, layers: [], since: 'a:1' }, /input window contains NaN at index 0/],
      ['setSettings', { locale: 'fr' }, /locale must be system, en or zh-CN/],
      ['trainStart', { x: image(1, 2), y: image(1, 1), kernel: [1, 2], learnBias: false, lr: -1, iterations: 10, flip: false, pace: 0 }, /learning rate must be positive/],
    ];
    for (const [name, request, message] of cases) {
      const result = await route(name, request, context);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(calls).toEqual([]);
  });

  test('turns every thrown error into a structured one: engine errors, service errors, and bugs', async () => {
    const probe = await route('probe', { input: image(3, 3), layers: [{ type: 'relu' }], layer: 0, unit: { c: 0, y: 0, x: 0 } }, context);
    expect(probe).toEqual({ ok: false, error: { code: 'engine', message: 'layer 1 (conv): kernel 5×5 is larger than the padded input 3×3' } });
    const train = await route('trainStart', { x: image(1, 2), y: image(1, 1), kernel: [1, 2], learnBias: false, lr: 0.03, iterations: 10, flip: false, pace: 0 }, context);
    expect(train).toEqual({ ok: false, error: { code: 'busy', message: 'a run is already going' } });
    const control = await route('trainControl', { runId: 1, command: 'pause' }, context);
    expect(control).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});

describe('the router never lets anything escape', () => {
  test('a call named by anything but a string is refused, even a list that would coerce to a real name', async () => {
    calls.length = 0;
    const hostile = { toString: () => { throw new Error('toString ran'); } };
    for (const name of [['forward'], { call: 'forward' }, hostile, null, undefined, 7, Symbol('forward')]) {
      const result = await route(name, { input: image(2, 2), layers: [] }, context);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/a call is named by a string/) } });
    }
    expect(calls).toEqual([]);
  });

  test('a handler that throws a non-Error, even one whose toString throws, is still answered', async () => {
    const throwing = createRouter({
      ...handlers,
      appInfo: () => {
        throw { toString: () => { throw new Error('no'); } };
      },
    } as Handlers);
    expect(await throwing('appInfo', {}, context)).toEqual({ ok: false, error: { code: 'internal', message: 'an unreadable error' } });
  });
});
