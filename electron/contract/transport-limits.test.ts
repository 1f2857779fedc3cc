// Limits agree end to end: the largest request the contract accepts for each call fits one socket message, and a
// lab file at the file limit fits too, so the socket never cuts off what the gate would have accepted.
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../core/limits';
import { calls } from './contract';
import { MAX_LAB_FILE_BYTES } from './lab-file';
import { MAX_MODEL_REQUEST_BYTES } from './model-contract';
import { MAX_MESSAGE_BYTES } from './transport-limits';
import { encodeMessage } from './wire';

const S = LIMITS.maxImageSide;
const largestMap = () => ({ shape: [1, LIMITS.maxInputValues / (S * S), S, S] as [1, number, number, number], data: new Float32Array(LIMITS.maxInputValues) });
const largestConv = () => ({
  type: 'conv2d' as const, outChannels: 64, inChannels: 64, kernel: [11, 11] as [number, number],
  weight: { shape: [64, 64, 11, 11] as [number, number, number, number], data: new Float32Array(64 * 64 * 121) },
  bias: new Float32Array(64),
  stride: [1, 1] as [number, number],
  padding: [5, 5] as [number, number],
  dilation: [1, 1] as [number, number],
  flip: false,
});
const name = 'n'.repeat(255);

const largest: Record<string, unknown> = {
  forward: { input: largestMap(), layers: Array.from({ length: LIMITS.maxLayers }, largestConv) },
  probe: { input: largestMap(), layers: Array.from({ length: LIMITS.maxLayers }, largestConv), layer: 0, unit: { c: 0, y: 0, x: 0 } },
  trainStart: { x: largestMap(), y: largestMap(), kernel: [11, 11], initWeight: new Float32Array(121), learnBias: true, lr: 0.1, iterations: LIMITS.maxTrainingSteps, flip: false, pace: 0 },
  lossSurface: { x: largestMap(), y: largestMap(), kernel: [1, 2], flip: false, bias: 0, include: Array.from({ length: 64 }, () => [1e300, -1e300]), size: 128 },
  importLab: { text: new Uint8Array(MAX_LAB_FILE_BYTES), fileName: name },
  encodeLab: { text: new Uint8Array(MAX_LAB_FILE_BYTES), fileName: name },
  saveLabAs: { text: new Uint8Array(MAX_LAB_FILE_BYTES), fileName: name },
  saveLab: { text: new Uint8Array(MAX_LAB_FILE_BYTES) },
  autosave: { text: new Uint8Array(MAX_LAB_FILE_BYTES) },
  modelOpenBytes: { name, bytes: new Uint8Array(MAX_MODEL_REQUEST_BYTES) },
};

describe('limits agree end to end', () => {
  test.each(Object.entries(largest))('the largest %s request the contract accepts fits one socket message', (call, request) => {
    expect(v.safeParse(calls[call as keyof typeof calls].request, request).success).toBe(true);
    const bytes = encodeMessage({ id: Number.MAX_SAFE_INTEGER, call, request }).byteLength;
    expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  test('one byte over the file limit is refused by the contract with its own message', () => {
    const result = v.safeParse(calls.importLab.request, { text: new Uint8Array(MAX_LAB_FILE_BYTES + 1), fileName: 'big.convlab.json' });
    expect(result.success).toBe(false);
    expect(result.issues?.[0].message).toMatch(/this file is 96\.0 MB; a lab file holds at most 96 MB/);
  });

  test('an input over the input limit is refused by name, before any work', () => {
    const result = v.safeParse(calls.forward.request, { input: { shape: [1, 17, 512, 512], data: new Float32Array(17 * 512 * 512) }, layers: [] });
    expect(result.success).toBe(false);
    expect(result.issues?.[0].message).toMatch(/17×512×512 is 4456448 values; an input holds at most 4194304/);
  });
});
