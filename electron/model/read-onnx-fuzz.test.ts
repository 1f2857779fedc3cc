// Damaged files are refused in one sentence, never with a crash: every cut and every flipped byte of a real model
// either still reads or throws a ConvLabError.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../../core/errors';
import { mulberry32 } from '../../core/random';
import { FIXTURES } from './fixture-paths';
import { foldShapes } from './fold-shapes';
import { parseModel } from './read-onnx';

const original = new Uint8Array(readFileSync(join(FIXTURES, 'shapes', 'zeros_like_slice.onnx')));

function outcome(bytes: Uint8Array): string {
  try {
    foldShapes(parseModel(bytes));
    return 'read';
  } catch (e) {
    if (e instanceof ConvLabError) return e.message.includes('\n') ? `two lines: ${e.message}` : 'refused';
    return `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

describe('damaged models', () => {
  it('every cut of the file is read or refused in one line', () => {
    const crashes = [];
    for (let end = 0; end < original.length; end += 7) {
      const got = outcome(original.subarray(0, end));
      if (got !== 'read' && got !== 'refused') crashes.push(`cut at ${end}: ${got}`);
    }
    expect(crashes).toEqual([]);
  });

  it('2,000 files with random bytes changed are read or refused in one line', () => {
    const random = mulberry32(21);
    const crashes = [];
    for (let k = 0; k < 2000; k++) {
      const bytes = original.slice();
      for (let j = 0; j < 1 + (k % 4); j++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const got = outcome(bytes);
      if (got !== 'read' && got !== 'refused') crashes.push(`file ${k}: ${got}`);
    }
    expect(crashes.slice(0, 10)).toEqual([]);
  });
});
