/**
 * One LeNet training run inside the engine worker: core's Training stepped batch by batch, yielding to the
 * worker's message loop between batches (so pause, resume, stop and predictions are answered mid-run), with events
 * for each batch, each epoch (the book's line and a confusion matrix) and the conv filters as they change.
 */
import type { LabelledImages } from '../../core/data/idx';
import { checkParams, paramSlots } from '../../core/nets/params';
import { runTraining, Training } from '../../core/nets/train';
import { saveNet, type SavedNet } from '../contract/lab-file-v3';
import { EXAMPLES_PER_CELL, MOST_WRONG_IMAGES, type NetFilters, type NetPrediction, type NetSettings, type NetTrainingEvent, type NetWrongImage } from '../contract/net-contract';
import { netPrediction } from './net-prediction';
import { netTrainingUnitGradient, type UnitGradientQuery } from './net-unit-gradient';
import { MostWrong } from './most-wrong';
import type { NetUnitGradient } from '../contract/net-probe-contract';
import { teamStepper } from './parallel-training';
import type { MessagePort } from 'node:worker_threads';
import { BatchAbandoned, stopWordOf, type StopWord } from './stop-words';

/** Filters are sent every this many batches (and at each epoch's end): often enough to watch, rarely enough to read. */
const FILTER_EVERY = 10;

export class NetTrainingRun {
  private readonly training: Training;
  private paused = false;
  private stopRequested = false;
  /** Why the run was stopped, when it was not its page's Stop (a newer run of the same tab, a closed tab): its end event says so. */
  private stopReason: string | undefined;
  private readonly stopWord: StopWord;
  private wake: (() => void) | null = null;
  private batchesDone = 0;
  private workMs = 0;
  /** Every batch's loss, for the lab file's history. */
  private readonly batchLosses: number[] = [];

  constructor(
    readonly id: number,
    private readonly settings: NetSettings,
    train: LabelledImages,
    private readonly test: LabelledImages,
    private readonly emit: (event: NetTrainingEvent) => void,
    /** Other engine workers' ports: each batch is split between this worker and them (parallel-training.ts). */
    private readonly team: MessagePort[] = [],
    /** The team's death flag, set by the engine pool when one of its workers exits (batch-stats-barrier.ts). */
    private readonly teamAlarm?: SharedArrayBuffer,
    /** The run's stop word, set by the main side to stop it inside a batch (stop-words.ts). */
    stopBuffer?: SharedArrayBuffer,
  ) {
    this.stopWord = stopWordOf(stopBuffer);
    this.training = new Training({ ...settings, channels: [...settings.channels] }, train, test);
  }

  async start(): Promise<void> {
    const { epochs } = this.training.settings;
    const batches = this.training.batchesPerEpoch;
    let last = Date.now();
    const stepper = teamStepper(this.training, this.team, this.teamAlarm, this.stopWord);
    try {
      this.emit({ runId: this.id, kind: 'filters', ...this.filters() });
      const outcome = await runTraining(
        this.training,
        {
          onBatch: (p) => {
            const now = Date.now();
            this.workMs += now - last;
            last = now;
            this.batchesDone++;
            this.batchLosses.push(p.loss);
            const left = epochs * batches - ((p.epoch - 1) * batches + p.batch);
            const secondsLeft = this.batchesDone >= 3 ? (left * this.workMs) / this.batchesDone / 1000 : null;
            this.emit({ runId: this.id, kind: 'batch', epoch: p.epoch, epochs, batch: p.batch, batches, loss: p.loss, acc: p.acc, secondsLeft });
            if (p.batch % FILTER_EVERY === 0) this.emit({ runId: this.id, kind: 'filters', ...this.filters() });
          },
          onEpoch: (e) => {
            this.emit({ runId: this.id, kind: 'epoch', ...e, ...this.confusion() });
            this.emit({ runId: this.id, kind: 'filters', ...this.filters() });
            last = Date.now();
          },
        },
        {
          stopRequested: () => this.stopRequested || this.stopWord.raised(),
          // A macrotask between batches, so the worker's message queue (pause, stop, predict) is read.
          resumed: () =>
            new Promise<void>((resolve) => {
              setImmediate(() => {
                if (!this.paused || this.stopRequested) resolve();
                else this.wake = resolve;
              });
            }).then(() => void (last = Date.now())),
        },
        stepper.step,
      );
      if (outcome.status === 'diverged') this.emit({ runId: this.id, kind: 'diverged', message: outcome.message });
      else if (outcome.status === 'finished') this.emit({ runId: this.id, kind: 'done' });
      else this.stopped();
    } catch (error) {
      // A batch given up mid-way because the run was stopped: the run ends as any stopped run does.
      if (error instanceof BatchAbandoned) return this.stopped();
      this.emit({ runId: this.id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      stepper.close();
    }
  }

  private stopped(): void {
    const reason = this.stopReason ?? this.stopWord.reason();
    this.emit({ runId: this.id, kind: 'stopped', ...(reason === undefined ? {} : { message: reason }) });
  }

  /** Stops the run for `reason`, which its 'stopped' event carries (e.g. "replaced by a new training run started in this tab"). */
  stopFor(reason: string): void {
    if (!this.stopRequested) this.stopReason = reason;
    this.control('stop');
  }

  control(command: 'pause' | 'resume' | 'stop'): 'running' | 'paused' | 'stopped' {
    if (command === 'stop') this.stopRequested = true;
    else if (command === 'pause' && !this.paused) {
      this.paused = true;
      this.emit({ runId: this.id, kind: 'paused' });
    } else if (command === 'resume' && this.paused) {
      this.paused = false;
      this.emit({ runId: this.id, kind: 'resumed' });
    }
    if (command !== 'pause' && this.wake) {
      this.wake();
      this.wake = null;
    }
    return this.stopRequested ? 'stopped' : this.paused ? 'paused' : 'running';
  }

  /** The first two convolutions' weights and the first batch norm's γ and β, copied (the run goes on changing its own). */
  filters(): NetFilters {
    const slots = paramSlots(this.training.spec);
    const values = (path: string) => this.training.params.get(path)!;
    const convs = slots.filter((slot) => slot.role === 'weight' && slot.shape.length === 4);
    const weight = (path: string) => ({ shape: [...values(path).shape], data: Float32Array.from(values(path).data) });
    const gamma = slots.find((slot) => slot.role === 'gamma');
    const layer = gamma?.path.slice(0, -'.gamma'.length);
    return {
      conv1: weight(convs[0].path),
      conv2: weight(convs[1].path),
      ...(layer === undefined ? {} : { batchNorm: { path: layer, gamma: Array.from(values(`${layer}.gamma`).data), beta: Array.from(values(`${layer}.beta`).data) } }),
    };
  }

  /**
   * Test-set confusion counts, confusion[true·10 + predicted], in predict mode, with each cell's first images and
   * the images with the highest loss: from the logits of the epoch's own test pass (split over the team like the
   * batches), so the test set is not run a second time.
   */
  confusion(): { confusion: number[]; examples: number[][]; mostWrong: NetWrongImage[] } {
    const worst = new MostWrong(MOST_WRONG_IMAGES);
    const counts = new Array<number>(100).fill(0);
    const examples = Array.from({ length: 100 }, () => [] as number[]);
    const set = this.test;
    const classes = this.training.classes;
    const logits = this.training.testLogits ?? this.training.logitsAll(set);
    for (let i = 0; i < set.count; i++) {
      const row = logits.subarray(i * classes, (i + 1) * classes);
      let best = 0;
      for (let c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
      const cell = set.labels[i] * 10 + best;
      counts[cell]++;
      if (examples[cell].length < EXAMPLES_PER_CELL) examples[cell].push(i);
      worst.offer(i, set.labels[i], row);
    }
    return { confusion: counts, examples, mostWrong: worst.list() };
  }

  /** One image through the net as it stands: probabilities, ranking and every layer's output. */
  predict(image: { test: number } | { pixels: Float32Array }): NetPrediction {
    return netPrediction(this.training.spec, this.training.params, this.test, image, this.training.side);
  }

  /** One unit's gradient on the input image, on the net as it stands (its effective receptive field). */
  unitGradient(query: UnitGradientQuery): NetUnitGradient {
    return netTrainingUnitGradient(this.training.spec, this.training.params, this.test, query, this.training.side);
  }

  /** The net as it stands, with its history so far, as a lab file keeps it; a diverged net (NaN weights) is refused. */
  snapshot(): SavedNet {
    const { spec, params, history } = this.training;
    checkParams(spec, params);
    return saveNet(this.settings, params, { epochs: history, batchLosses: this.batchLosses });
  }
}
