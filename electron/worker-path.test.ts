import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { engineWorkerPath, imageDecodeWorkerBeside } from './worker-path';

test('the image decode worker is found beside the built engine worker, and at its source beside the source one', () => {
  const built = engineWorkerPath('/opt/ConvLab/resources/app.asar/out/main');
  expect(built).toBe('/opt/ConvLab/resources/app.asar.unpacked/out/main/engine-worker.js');
  expect(fileURLToPath(imageDecodeWorkerBeside(built))).toBe('/opt/ConvLab/resources/app.asar.unpacked/out/main/image-decode-worker.js');
  const source = imageDecodeWorkerBeside(new URL('./engine/engine-worker.ts', import.meta.url));
  expect(existsSync(source)).toBe(true);
  expect(fileURLToPath(source)).toMatch(/electron\/services\/dataset\/image-decode-worker\.ts$/);
});
