// A background engine worker yields to the main thread: on Linux its own thread's nice value is lowered, nothing else's.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createEngineHost } from './engine-host';
import { BACKGROUND_NICE, runInBackground } from './thread-priority';

/** The nice value of each of this process's threads, by thread id (field 19 of /proc/self/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return nice;
}

const edge = {
  input: { shape: [1, 1, 6, 8] as [1, number, number, number], data: new Float32Array(48).fill(1) },
  layers: [{
    type: 'conv2d' as const, outChannels: 1, inChannels: 1, kernel: [1, 2] as [number, number], weight: { shape: [1, 1, 1, 2] as [number, number, number, number], data: Float32Array.from([1, -1]) },
    bias: new Float32Array(1), stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], flip: false,
  }],
};

describe('thread priority', () => {
  test.runIf(process.platform === 'linux')('a background worker runs niced on its own thread; the main thread keeps its priority', async () => {
    const before = niceByThread();
    const host = createEngineHost(new URL('./engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], background: true });
    try {
      await host.forward(edge);
      const after = niceByThread();
      const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === BACKGROUND_NICE);
      expect(lowered.length).toBeGreaterThanOrEqual(1);
      expect(after.get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await host.close();
    }
  });

  test('is left alone where a nice value would lower the whole process', () => {
    expect(runInBackground('darwin')).toBe(false);
    expect(runInBackground('win32')).toBe(false);
  });
});
