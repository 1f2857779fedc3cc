import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Unit tests live beside the code they test, in core/, electron/ and renderer/.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    // The engine's WebAssembly kernels are compiled from source before any test imports them.
    globalSetup: ['build/compile-wasm.mjs'],
    testTimeout: 30_000,
  },
});
