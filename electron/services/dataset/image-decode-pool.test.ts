// The decode pool when its threads die: a batch already sent and the batches still waiting are refused with the
// cause, never left waiting (an opening would hang on them).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDecodePool } from './image-decode-pool';

const folder = mkdtempSync(join(tmpdir(), 'convlab-decode-pool-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A thread that dies with exit code 3 on the first batch it is sent. */
function dyingWorker(): string {
  const file = join(folder, 'dies.mjs');
  writeFileSync(file, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
  return file;
}

describe('the image decode pool', () => {
  it('refuses every batch, sent or waiting, once all its threads have died', async () => {
    const pool = createDecodePool(dyingWorker(), { size: 1 });
    const request = { paths: ['a.png'], size: 28, colour: 'grey' } as unknown as Parameters<typeof pool.decode>[0];
    const sent = pool.decode(request);
    const waiting = pool.decode(request);
    await expect(sent).rejects.toThrow(/decode thread stopped: exit code 3/);
    await expect(waiting).rejects.toThrow(/every image decode thread stopped/);
    await expect(pool.decode(request)).rejects.toThrow(/every image decode thread stopped/);
    await pool.close();
  });
});
