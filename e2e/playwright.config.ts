import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './hosts';

// One spec set, two hosts: the fixture launches Electron where its binary is installed, and Debian's Chromium
// against the browser host everywhere else. The app must be built first (npm run build).
export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two cores: the page, the host and the engine worker already share them.
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
