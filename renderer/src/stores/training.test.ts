// The training store against the real run loop (electron's TrainingRun on core's trainer, in place of the worker):
// the reference trajectories, the book's printout, refusals, divergence, pause and step, and one undo step per run.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { nextTick } from 'vue';
import { referenceCases } from '../../../core/test-support/reference';
import { useLabStore } from './lab';
import { useTrainingStore } from './training';
import { setTrainingSettings } from '../actions/training-actions';
import { BOOK_RUN, type TrainingSettings } from '../training/training-doc';
import { bookLoss, bookWeight, isPrinted } from '../training/training-log';
import { api } from '../api/client';
import { RUN_END_STATES } from '../../../electron/contract/run-end';

vi.mock('../api/client', async () => {
  const { TrainingRun } = await import('../../../electron/training/training-run');
  const { runStack } = await import('../../../core/index');
  type Listener = (event: unknown) => void;
  const listeners = new Set<Listener>();
  let run: InstanceType<typeof TrainingRun> | null = null;
  let nextId = 1;
  const fake = {
    host: 'web',
    on: (_event: string, listener: Listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    forward: vi.fn(async (request: Parameters<typeof runStack>[0] extends infer I ? { input: I; layers: Parameters<typeof runStack>[1] } : never) => ({
      ok: true,
      value: runStack(request.input, request.layers),
    })),
    trainStart: vi.fn(async (request: ConstructorParameters<typeof TrainingRun>[1]) => {
      run?.stop();
      try {
        run = new TrainingRun(nextId++, request, (event) => listeners.forEach((l) => l(event)));
      } catch (error) {
        return { ok: false, error: { code: 'engine', message: (error as Error).message } };
      }
      const started = run;
      setTimeout(() => started.start(), 0);
      return { ok: true, value: { runId: started.id } };
    }),
    trainControl: vi.fn(async ({ command }: { command: 'pause' | 'resume' | 'step' | 'stop' }) => ({ ok: true, value: { state: run!.control(command) } })),
  };
  return { api: fake };
});

interface Case {
  id: string;
  init_weight: { data: number[] };
  loss: number[];
  weight: number[][];
  iterations: number;
}

const close = (got: number, ref: number) => Math.abs(got - ref) <= 1e-5 * Math.max(1, Math.abs(ref));

function setup(patch: Partial<TrainingSettings>) {
  const lab = useLabStore();
  lab.run(setTrainingSettings, { patch: { ...BOOK_RUN, ...patch } });
  return { lab, training: useTrainingStore() };
}

async function ended(training: ReturnType<typeof useTrainingStore>): Promise<void> {
  await vi.waitFor(() => expect(RUN_END_STATES).toContain(training.phase), { timeout: 10_000, interval: 5 });
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.clearAllMocks();
});

describe('the training store', () => {
  test.each(referenceCases<Case>('kernel_learning').map((c) => [c.id, c] as const))(
    'from the fixed start of %s, every loss and weight equals the reference within 1e-5',
    async (_id, ref) => {
      const { lab, training } = setup({ initWeight: ref.init_weight.data, iterations: ref.iterations });
      const versionBefore = lab.version;
      expect(await training.startRun()).toBe(true);
      await ended(training);
      expect(training.phase).toBe('done');
      const s = training.series;
      expect(s.count).toBe(ref.iterations);
      for (let t = 0; t < ref.iterations; t++) {
        expect(close(s.losses[t], ref.loss[t]), `loss ${t + 1}: ${s.losses[t]} vs ${ref.loss[t]}`).toBe(true);
        ref.weight[t].forEach((w, k) => expect(close(s.weightAt(t)[k], w), `weight ${t + 1}[${k}]`).toBe(true));
      }
      // The document changed once, at the end: the run is one undo step.
      expect(lab.version).toBe(versionBefore + 1);
      expect(lab.doc.training.history.losses).toHaveLength(ref.iterations);
      expect(lab.doc.training.history.outcome).toBe('done');
      lab.undo();
      await nextTick();
      expect(lab.doc.training.history.losses).toHaveLength(0);
      expect(training.series.count).toBe(0);
    },
  );

  test("the book's run prints the book's numbers: batch 2, loss 4.949 … batch 10, loss 0.004, and [[ 0.9895    -0.9873705]]", async () => {
    const { training } = setup({});
    await training.startRun();
    await ended(training);
    const s = training.series;
    const lines: string[] = [];
    for (let t = 0; t < s.count; t++) if (isPrinted(s.at[t], 10)) lines.push(`batch ${s.at[t]}, loss ${bookLoss(s.losses[t])}`);
    expect(lines).toEqual(['batch 2, loss 4.949', 'batch 4, loss 0.831', 'batch 6, loss 0.140', 'batch 8, loss 0.024', 'batch 10, loss 0.004']);
    expect(bookWeight(s.weightAt(s.last), 1, 2)).toBe('[[ 0.9895    -0.9873705]]');
    expect(training.start && Array.from(training.start)).toEqual([Math.fround(0.006834091), Math.fround(0.012998423)]);
  });

  test('bad settings are refused before anything is sent, with a message naming the problem', async () => {
    for (const [patch, key] of [
      [{ lr: 0 }, 'training.problems.lr'],
      [{ lr: Infinity }, 'training.problems.lr'],
      [{ iterations: 0 }, 'training.problems.iterations'],
      [{ iterations: 100_001 }, 'training.problems.iterations'],
      [{ kernelSize: [7, 2] as [number, number] }, 'training.problems.kernel'],
    ] as const) {
      setActivePinia(createPinia());
      const { training } = setup(patch);
      expect(await training.startRun()).toBe(false);
      expect(training.problem?.key).toBe(key);
      expect(training.phase).toBe('idle');
    }
    expect(api.trainStart).not.toHaveBeenCalled();
  });

  test('a learning rate too large stops the run itself, keeps the finite part and says why', async () => {
    const { lab, training } = setup({ lr: 1, iterations: 100 });
    await training.startRun();
    await ended(training);
    expect(training.phase).toBe('diverged');
    expect(training.problem).toEqual({ key: 'training.problems.diverged', params: { lr: '1', n: training.bad?.iteration, smaller: '0.1' } });
    expect(training.bad?.iteration).toBeLessThan(100);
    expect(training.series.count).toBeGreaterThan(10);
    expect(Array.from(training.series.losses.subarray(0, training.series.count)).every(Number.isFinite)).toBe(true);
    expect(lab.doc.training.history.outcome).toBe('diverged');
  });

  test('pause holds the run, step advances exactly one iteration, resume finishes it', async () => {
    const { training } = setup({ iterations: 40, initWeight: [0.05, -0.03] });
    await training.startRun();
    await vi.waitFor(() => expect(training.iteration).toBeGreaterThan(1), { interval: 5 });
    await training.pause();
    expect(training.phase).toBe('paused');
    const at = training.iteration;
    await new Promise((r) => setTimeout(r, 120));
    expect(training.iteration).toBe(at);
    await training.step();
    expect(training.iteration).toBe(at + 1);
    await training.resume();
    await ended(training);
    expect(training.phase).toBe('done');
    expect(training.series.count).toBe(40);
  });
});
