/**
 * `npx tsx --expose-gc electron/cli/training-memory.ts [iterations]`: runs the book's kernel learning for 10,000
 * iterations (by default) through the real engine host and worker, flat out, with a listener that keeps the numbers
 * as the renderer's store does, and prints the process's memory every tenth of the run, so a leak shows as growth.
 * Then the same run in-process, to show the trainer's own heap after garbage collection.
 */
import { createTrainer } from '../../core/index';
import type { TrainingEvent } from '../contract/contract';
import { createEngineHost } from '../engine/engine-host';

const iterations = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

const bars = () => {
  const data = new Float32Array(48).fill(1);
  for (let y = 0; y < 6; y++) for (let x = 2; x < 6; x++) data[y * 8 + x] = 0;
  return { shape: [1, 1, 6, 8] as [1, number, number, number], data };
};
const edges = () => ({ shape: [1, 1, 6, 7] as [1, number, number, number], data: Float32Array.from(Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]).flat()) });

function sample(label: string): void {
  gc();
  const m = process.memoryUsage();
  console.log(`${label.padEnd(24)} rss ${mb(m.rss).padStart(7)} MiB   heap used ${mb(m.heapUsed).padStart(6)} MiB   external ${mb(m.external).padStart(6)} MiB`);
}

async function viaHost(): Promise<void> {
  const host = createEngineHost(new URL('../engine/engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  // What the renderer keeps: two float buffers sized once, as TrainingSeries does.
  const losses = new Float64Array(iterations);
  const weights = new Float32Array(iterations * 2);
  let seen = 0;
  const started = performance.now();
  sample('before the run');
  await new Promise<void>((resolve, reject) => {
    const onEvent = (event: TrainingEvent) => {
      if (event.kind === 'step') {
        losses[event.iteration - 1] = event.loss ?? NaN;
        weights.set(event.weight ?? [], (event.iteration - 1) * 2);
        seen = event.iteration;
        if (seen % Math.round(iterations / 10) === 0) sample(`host: iteration ${seen}`);
      } else if (event.kind === 'done') resolve();
      else if (event.kind !== 'paused') reject(new Error(`run ended with ${event.kind}: ${event.message ?? ''}`));
    };
    void host.trainStart(
      { x: bars(), y: edges(), kernel: [1, 2], initWeight: Float32Array.of(0.05, -0.03), learnBias: false, lr: 0.03, iterations, flip: false, pace: 0 },
      onEvent,
    );
  });
  console.log(`host: ${seen} iterations in ${((performance.now() - started) / 1000).toFixed(2)} s, final loss ${losses[seen - 1].toExponential(3)}`);
  await host.close();
}

function inProcess(): void {
  const trainer = createTrainer({ x: bars(), y: edges(), kernel: [1, 2], initWeight: Float32Array.of(0.05, -0.03), learnBias: false, lr: 0.03, iterations, flip: false });
  sample('in-process: start');
  while (trainer.iteration < iterations) {
    trainer.step();
    if (trainer.iteration % Math.round(iterations / 5) === 0) sample(`in-process: ${trainer.iteration}`);
  }
}

await viaHost();
inProcess();
