import { defineConfig } from 'vitest/config';

// The packaging check (build/packaging.pack.test.ts): run after `npm run build`, as `npm run pack-check`.
export default defineConfig({
  test: {
    include: ['build/**/*.pack.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
