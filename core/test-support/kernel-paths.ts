/** Runs a block of engine tests once per kernel path: the TypeScript definition and the WebAssembly SIMD kernels. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setKernelPath } from '../ops/wasm/kernels';

export const KERNEL_PATHS = ['ts', 'wasm'] as const;

export function onEachKernelPath(body: (path: 'ts' | 'wasm') => void): void {
  for (const path of KERNEL_PATHS) {
    describe(`${path} kernels`, () => {
      beforeAll(() => void setKernelPath(path));
      afterAll(() => void setKernelPath('wasm'));
      // Node has WebAssembly SIMD, so the wasm block must really run there, not fall back in silence.
      it(`runs on the ${path} path`, () => expect(setKernelPath(path)).toBe(path));
      body(path);
    });
  }
}
