import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        // The browser host and the worker threads are built beside main: they share its services.
        input: {
          main: resolve(root, 'electron/main.ts'),
          'web-host': resolve(root, 'electron/web/host.ts'),
          'engine-worker': resolve(root, 'electron/engine/engine-worker.ts'),
          'lab-codec-worker': resolve(root, 'electron/services/files/lab-codec-worker.ts'),
          'image-decode-worker': resolve(root, 'electron/services/dataset/image-decode-worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot require packages: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
