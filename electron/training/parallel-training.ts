/**
 * Data-parallel training over engine workers. The worker that owns a run (the leader) keeps its Training; the
 * others (helpers) each hold one end of a MessagePort. The run's image sets are shared once; per batch the leader
 * copies the net's parameters and the batch's item numbers into SharedArrayBuffers (each thread fills its own
 * chunk's images), tells the helpers a run is open, and works on it itself: the batch is cut into
 * a chunk per thread, claimed by whoever is free (chunk-claims.ts), so a helper that has not started when the
 * leader's own chunk is done (busy with a lab request, or not scheduled) is not waited for: the leader takes its
 * chunk too, and the step costs what one worker's would. Each chunk's loss, hits and
 * gradients go to their own slot in shared memory and the leader adds the slots up in chunk order, so the sum is
 * the same whoever computed which chunk: one worker's step to float rounding (each chunk's gradient is Σ over its
 * samples / the full batch size, the book's short last batch included), and the same on every run. The epoch's
 * test pass is split the same way and yields the test images' logits (the confusion matrix and the most-wrong
 * list read them). Only messages of a few numbers cross per step; arrays never do.
 * Nets with batch norm split their training batches too (synchronised batch norm, batch-stats-barrier.ts): each
 * thread takes exactly one chunk, and the chunks exchange their per-channel sums at a barrier in every batch norm
 * layer, so every chunk normalises with the whole batch's statistics and backpropagates through them; the
 * leader's chunk folds them into the moving statistics. Evaluation (predict mode) needs no exchange.
 * A helper that dies closes its port: the step waiting on its chunk, or else the next step, and the run end with
 * an error saying so. A chunk waiting at a barrier for a thread that died gives up when the team's alarm is set.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ConvLabError, type ErrorCode } from '../../core/errors';
import { releaseRecycled } from '../../core/ops/floats';
import type { NetSpec } from '../../core/nets/model';
import type { LossOptions } from '../../core/nets/run';
import { addSlices, batchNormChannels, flatGradLength, flatParamLength, gradsOver, packParams, paramsOver, sliceGradientsInto, splitRefusal, unpackState } from '../../core/nets/split';
import { EVAL_CHUNK, logitsInto, type BatchGradients, type StepResult, type Training, type TrainingBatch } from '../../core/nets/train';
import type { LabelledImages } from '../../core/data/idx';
import { fillBatch } from '../../core/data/batches';
import type { Tensor } from '../../core/tensor';
import { allDone, claimChunks, FAILED, openRun, workChunk } from './chunk-claims';
import { inSharedMemory } from './shared-datasets';
import type { StopWord } from './stop-words';
import { checkedOptions, interruptibleStep, untilFailed } from './interruptible-step';
import { CONTROL_WORDS, openBarrier, raiseAlarm, SharedBatchStats, SliceAborted, statsWidth, TEAM_LOST, wakeBarrier } from './batch-stats-barrier';

/**
 * One chunk per thread. Each chunk costs about half a millisecond of fixed work (a LeNet step, measured: two
 * chunks of 128 images 1.4 % over the whole batch, four of 64 about 5 %), so one each: on an idle machine they end
 * together, and a helper that starts later than the leader has finished its own chunk costs nothing.
 */
const CHUNKS_PER_THREAD = 1;

/**
 * The first chunk's share of an even one (the leader claims it: it opens the run and claims at once). Kept even:
 * timed per run inside the leader on an idle machine, a helper read the run's message 0.4 ms after it opened and
 * then computed each image about 10 % slower than the leader, while the leader alone does the step's serial work
 * (1.4 ms); a 5 % lighter and a 5 % heavier first chunk each came out worse than even halves in one run or another.
 */
const LEADER_SHARE = 1;

/** Where each chunk of `count` images over `threads` threads starts (and, last, where the last one ends). */
export function chunkStarts(count: number, threads: number): number[] {
  const chunks = Math.min(count, threads * CHUNKS_PER_THREAD);
  if (chunks <= 1) return [0, count];
  const first = Math.min(count - (chunks - 1), Math.max(1, Math.round((count / chunks) * LEADER_SHARE)));
  const starts = [0, first];
  for (let c = 1; c < chunks; c++) starts.push(first + Math.round(((count - first) * c) / (chunks - 1)));
  return starts;
}

/** A split run's shared buffers. */
interface RunBuffers {
  control: SharedArrayBuffer; params: SharedArrayBuffer; x: SharedArrayBuffer; labels: SharedArrayBuffer; grads: SharedArrayBuffer;
  lossSums: SharedArrayBuffer; hits: SharedArrayBuffer; logits: SharedArrayBuffer;
  /** One word, set when a worker of the team has died (batch-stats-barrier.ts). */
  alarm: SharedArrayBuffer;
  /** Batch norm's exchange slots: two banks of a slot of `width` floats per chunk (none without batch norm). */
  stats: SharedArrayBuffer;
  /** The images of the run's request by their index in their set (Uint32), when the threads fill them themselves. */
  items: SharedArrayBuffer;
  /** The training and test sets' pixels and labels, shared once per run so each thread fills its chunk's images; null when the net reads them resized. */
  sets: { train: SharedSet; test: SharedSet } | null;
}

/** Leader → helper. */
type HelperRequest =
  /** `member`: this helper's thread number (the leader is 0): the chunk it takes in a run of one chunk per thread. */
  | ({ kind: 'setup'; spec: NetSpec; pixels: number; shape: number[]; width: number; member: number } & RunBuffers)
  /** Run `run` is open: claim chunks (images starts[c]..starts[c + 1]−1) of the shared batch and write their gradients. */
  | { kind: 'gradients'; run: number; starts: number[]; options: LossOptions; fill: Fill }
  /** Predict mode: claim chunks of the shared images and write their logits. */
  | { kind: 'logits'; run: number; starts: number[]; fill: Fill };

/** A labelled image set whose pixels and labels live in shared memory. */
interface SharedSet { count: number; rows: number; cols: number; pixels: SharedArrayBuffer; labels: SharedArrayBuffer }

/** Which set a run's chunks fill their images from, by the shared items (null: the leader filled them). */
type Fill = 'train' | 'test' | null;

/**
 * `set` as the helpers read it: the worker's one shared copy when it is in shared memory already (shared-datasets.ts),
 * else a copy of its own (its 47 MB of training pixels once per run, rather than 0.8 MB every batch).
 */
function shareSet(set: LabelledImages): SharedSet {
  const { pixels, labels } = inSharedMemory(set);
  return { count: set.count, rows: set.rows, cols: set.cols, pixels: pixels.buffer as SharedArrayBuffer, labels: labels.buffer as SharedArrayBuffer };
}

/** The set `shared` holds, as core reads one. */
function setOver(shared: SharedSet): LabelledImages {
  return { count: shared.count, rows: shared.rows, cols: shared.cols, pixels: new Uint8Array(shared.pixels), labels: new Uint8Array(shared.labels) };
}

/** Helper → leader, only when a chunk failed (its error, before the chunk counts as done). */
interface HelperFailure { code: string | null; message: string }

/** The shared memory of a split run, as each side sees it. */
interface SharedRun {
  spec: NetSpec; control: Int32Array; params: ReturnType<typeof paramsOver>; x: Float32Array; labels: Int32Array;
  /** One flat gradient (packGrads's layout) per chunk. */
  grads: Float32Array; gradLength: number;
  lossSums: Float64Array; hits: Int32Array; logits: Float32Array; pixels: number; shape: number[];
  alarm: Int32Array; stats: Float64Array;
  /** Floats per chunk in `stats`: 0 for a net without batch norm, whose gradient runs are claimed chunk by chunk. */
  width: number;
  items: Uint32Array;
  sets: { train: LabelledImages; test: LabelledImages } | null;
}

/** Fills chunk n0..n1−1's images (and labels) from `fill`'s set by the run's items, when the threads fill them. */
function fillChunk(run: SharedRun, fill: Fill, n0: number, n1: number): void {
  if (fill === null || run.sets === null) return;
  fillBatch(run.sets[fill], run.items, n0, n1 - n0, run.x.subarray(n0 * run.pixels), run.labels.subarray(n0));
}

/**
 * Chunk `c` of a gradients run: its loss, hits and gradients into its slots. With batch norm it meets the other
 * chunks at each layer's exchange, and only chunk 0 (the leader's) folds the batch's statistics into the moving
 * ones, in the shared parameters the leader copies them back from.
 */
function gradientChunk(run: SharedRun, request: { starts: number[]; options: LossOptions; fill: Fill }, c: number): void {
  const n0 = request.starts[c], n1 = request.starts[c + 1], chunks = request.starts.length - 1;
  fillChunk(run, request.fill, n0, n1);
  const options: LossOptions = run.width === 0 ? request.options : {
    ...request.options, updateMovingStats: c === 0,
    batchStats: new SharedBatchStats(run.control, run.alarm, run.stats, run.width, c, chunks),
  };
  let r: ReturnType<typeof sliceGradientsInto>;
  try {
    r = sliceGradientsInto(run.spec, run.params, imagesOf(run, n0, n1), run.labels.subarray(n0, n1), options,
      run.grads.subarray(c * run.gradLength, (c + 1) * run.gradLength));
  } catch (error) {
    // The chunks waiting for this one at a barrier give up now.
    Atomics.store(run.control, FAILED, 1);
    wakeBarrier(run.control);
    throw error;
  }
  run.lossSums[c] = r.lossSum;
  run.hits[c] = r.correct;
}

/** Chunk `c` of a logits run: its images' logits into their rows. */
function logitsChunk(run: SharedRun, request: { starts: number[]; fill: Fill }, c: number): void {
  const n0 = request.starts[c], n1 = request.starts[c + 1];
  fillChunk(run, request.fill, n0, n1);
  logitsInto(run.spec, run.params, imagesOf(run, n0, n1), run.logits, n0);
}

/** Images n0..n1−1 of the shared images. */
function imagesOf(run: SharedRun, n0: number, n1: number): Tensor {
  return { shape: [n1 - n0, ...run.shape], data: run.x.subarray(n0 * run.pixels, n1 * run.pixels) };
}

interface Helper {
  port: MessagePort;
  /** A failure reply that arrived as an event rather than read at once. */
  failure: HelperFailure | null;
  /** Why this helper can no longer answer, once it cannot. */
  lost: string | null;
}

/** The leader's side: splits each batch between itself and the helpers behind `ports`. */
export class GradientTeam {
  private readonly helpers: Helper[];
  private readonly run: SharedRun & { flatParams: Float32Array };
  private readonly classes: number;
  /** The batch's gradient, the chunks' added up: one flat array, and each parameter's view of it. */
  private readonly sum: Float32Array;
  private readonly sumGrads: Map<string, Float32Array>;
  private runs = 0;
  private closing = false;
  /** Rejects when a helper is lost: a wait for chunks races it. */
  private readonly lost: Promise<never>;

  /**
   * `alarm`: the team's death flag (one Int32 word), set by whoever watches the workers (the engine pool). `sets`:
   * the run's training and test sets when the net reads their images as they are, so each thread fills its own
   * chunk's images (gradients and logits then take the batch's items, not its images).
   */
  constructor(private readonly spec: NetSpec, batchSize: number, imageShape: readonly number[], classes: number, ports: MessagePort[],
    alarm = new SharedArrayBuffer(4), sets: { train: LabelledImages; test: LabelledImages } | null = null) {
    const pixels = imageShape.reduce((a, b) => a * b, 1);
    const threads = ports.length + 1, room = Math.max(batchSize, EVAL_CHUNK);
    const slots = chunkStarts(batchSize, threads).length - 1, gradLength = flatGradLength(spec);
    const channels = batchNormChannels(spec), width = channels === 0 ? 0 : statsWidth(channels);
    const buffers: RunBuffers = {
      control: new SharedArrayBuffer(CONTROL_WORDS * 4), params: new SharedArrayBuffer(flatParamLength(spec) * 4),
      x: new SharedArrayBuffer(room * pixels * 4), labels: new SharedArrayBuffer(room * 4), grads: new SharedArrayBuffer(slots * gradLength * 4),
      lossSums: new SharedArrayBuffer(slots * 8), hits: new SharedArrayBuffer(slots * 4), logits: new SharedArrayBuffer(EVAL_CHUNK * classes * 4),
      alarm, stats: new SharedArrayBuffer(2 * slots * width * 8), items: new SharedArrayBuffer(room * 4),
      sets: sets === null ? null : { train: shareSet(sets.train), test: shareSet(sets.test) },
    };
    this.classes = classes;
    this.sum = new Float32Array(gradLength);
    this.sumGrads = gradsOver(spec, this.sum);
    this.run = sharedRun(spec, buffers, pixels, [...imageShape], width, 0);
    let lose: (error: Error) => void = () => {};
    this.lost = new Promise<never>((_, reject) => (lose = reject));
    this.lost.catch(() => {});
    this.helpers = [];
    ports.forEach((port) => {
      const helper: Helper = { port, failure: null, lost: null };
      port.on('message', (reply: HelperFailure) => void (helper.failure ??= reply));
      port.on('close', () => {
        helper.lost ??= 'an engine worker sharing this run stopped mid-run';
        lose(new Error(`${helper.lost}; the run was stopped`));
        // The other helpers may be waiting for this one at a barrier.
        if (!this.closing) raiseAlarm(this.run.alarm);
      });
      port.postMessage({ kind: 'setup', spec, ...buffers, pixels, shape: [...imageShape], width, member: this.helpers.length + 1 } satisfies HelperRequest);
      this.helpers.push(helper);
    });
  }

  /** Threads sharing each batch, the leader included. */
  get size(): number {
    return this.helpers.length + 1;
  }

  private checkHelpers(): void {
    const lost = this.helpers.find((h) => h.lost !== null);
    if (lost) throw new Error(`${lost.lost}; the run was stopped`);
  }

  /**
   * Opens a run over the first `count` shared images, wakes the helpers with `request`, claims chunks here with
   * `work` meanwhile (or, `oneEach`, works chunk 0 while each helper works its own), and waits for every chunk;
   * throws the first failure (the leader's own, else a helper's).
   */
  private async split(count: number, request: (run: number, starts: number[]) => HelperRequest,
    work: (starts: number[], c: number) => void, oneEach = false): Promise<number> {
    this.checkHelpers();
    const starts = chunkStarts(count, this.size), chunks = starts.length - 1;
    const run = ++this.runs, control = this.run.control;
    for (const helper of this.helpers) {
      // A failure left from an earlier run (the leader's own error came first) is stale now.
      while (receiveMessageOnPort(helper.port) !== undefined);
      helper.failure = null;
    }
    if (oneEach) openBarrier(control);
    openRun(control, run);
    for (const helper of this.helpers) helper.port.postMessage(request(run, starts));
    let ownError: unknown = null;
    if (oneEach) workChunk(control, chunks, 0, (c) => work(starts, c), (error) => (ownError = error));
    else claimChunks(control, run, chunks, (c) => work(starts, c), (error) => (ownError = error));
    // A worker of the team died: its chunk will never be done (and its port may not have said so yet).
    if (Atomics.load(this.run.alarm, 0) !== 0) throw new Error(TEAM_LOST);
    await allDone(control, chunks, this.lost);
    // A chunk that gave up at a barrier because another failed: that other's error is the one to tell.
    if (ownError !== null && !(ownError instanceof SliceAborted)) throw ownError;
    if (Atomics.load(control, FAILED) !== 0) throw this.helperFailure();
    return chunks;
  }

  /** The error a helper reported for a failed chunk (read at once: it was posted before the chunk counted as done). */
  private helperFailure(): Error {
    for (const helper of this.helpers) {
      const reply = (receiveMessageOnPort(helper.port)?.message as HelperFailure | undefined) ?? helper.failure;
      if (reply) return reply.code === null ? new Error(reply.message) : new ConvLabError(reply.code as ErrorCode, reply.message);
    }
    return new Error('an engine worker sharing this run failed');
  }

  /** The logits of every image of `set` (predict mode), each chunk of the test pass split like a batch. */
  async logits(training: Training, set: LabelledImages): Promise<Float32Array> {
    this.checkHelpers();
    packParams(this.spec, training.params, this.run.flatParams);
    const out = new Float32Array(set.count * this.classes);
    // The test set is the one the threads hold; another set's images are filled here.
    const fill: Fill = this.run.sets !== null && set === training.test ? 'test' : null;
    for (let start = 0; start < set.count; start += EVAL_CHUNK) {
      const count = Math.min(EVAL_CHUNK, set.count - start);
      if (fill === null) this.run.x.set(training.evalChunk(set, start, count).data);
      else for (let i = 0; i < count; i++) this.run.items[i] = start + i;
      await this.split(count, (run, starts) => ({ kind: 'logits', run, starts, fill }), (starts, c) => logitsChunk(this.run, { starts, fill }, c));
      out.set(this.run.logits.subarray(0, count * this.classes), start * this.classes);
    }
    return out;
  }

  /** The whole batch's gradients: its chunks' slots added up in chunk order. */
  async gradients(batch: TrainingBatch, options: LossOptions, params: Training['params']): Promise<BatchGradients> {
    this.checkHelpers();
    packParams(this.spec, params, this.run.flatParams);
    const count = batch.count;
    // The threads fill their chunks' images from the items when they hold the set; else they are copied here.
    const fill: Fill = batch.x === null ? 'train' : null;
    if (batch.x === null) this.run.items.set(batch.items);
    else this.run.x.set(batch.x.data.subarray(0, count * this.run.pixels));
    this.run.labels.set(batch.labels.subarray(0, count));
    const shared = { mode: options.mode, gradDivisor: options.gradDivisor };
    // The leader's own chunks also check its run's stop word between layers and backward ops (callbacks stay on this thread).
    const own = { ...shared, onLayer: options.onLayer, beforeBackwardOp: options.beforeBackwardOp };
    const chunks = await this.split(count, (run, starts) => ({ kind: 'gradients', run, starts, options: shared, fill }),
      (starts, c) => gradientChunk(this.run, { starts, options: own, fill }, c), this.run.width > 0);
    // The moving statistics chunk 0 updated in the shared copy are the run's now.
    if (this.run.width > 0) unpackState(this.spec, this.run.flatParams, params);
    // Summed into the team's own arrays, valid until the next batch (the step applies them at once).
    addSlices(this.run.grads, chunks, this.sum);
    let lossSum = 0, correct = 0;
    for (let c = 0; c < chunks; c++) {
      lossSum += this.run.lossSums[c];
      correct += this.run.hits[c];
    }
    return { lossSum, correct, grads: this.sumGrads };
  }

  /** Lets the helpers go (their ports close, they drop the run's buffers). */
  close(): void {
    this.closing = true;
    for (const helper of this.helpers) {
      helper.lost ??= 'the run has ended';
      helper.port.close();
    }
  }
}

/** Each side's typed views of a split run's shared buffers (`flatParams`: the parameters end to end, `params` views into it). */
function sharedRun(spec: NetSpec, b: RunBuffers, pixels: number, shape: number[], width: number, member: number): SharedRun & { flatParams: Float32Array; member: number } {
  const flatParams = new Float32Array(b.params);
  return {
    spec, control: new Int32Array(b.control), params: paramsOver(spec, flatParams), flatParams, x: new Float32Array(b.x),
    labels: new Int32Array(b.labels), grads: new Float32Array(b.grads), gradLength: flatGradLength(spec),
    lossSums: new Float64Array(b.lossSums), hits: new Int32Array(b.hits), logits: new Float32Array(b.logits), pixels, shape,
    alarm: new Int32Array(b.alarm), stats: new Float64Array(b.stats), width, member, items: new Uint32Array(b.items),
    sets: b.sets === null ? null : { train: setOver(b.sets.train), test: setOver(b.sets.test) },
  };
}

/**
 * How a run steps: split over `ports`' helpers when there are any and the net allows it, else one worker's
 * step. `close` lets the helpers go (call it when the run ends); `threads` says how many share each batch and
 * `refusal` why a net stayed on one worker although helpers were offered; `stop`, the run's word (stop-words.ts), stops a batch mid-way.
 */
export function teamStepper(training: Training, ports: readonly MessagePort[] = [], alarm?: SharedArrayBuffer, stop?: StopWord): {
  step: (t: Training) => StepResult | Promise<StepResult>; close: () => void; threads: number; refusal: string | null;
} {
  const refusal = ports.length === 0 ? null : splitRefusal(training.spec);
  if (ports.length === 0 || refusal !== null) {
    for (const port of ports) port.close();
    return { step: stop === undefined ? (t) => t.step() : interruptibleStep(stop), close: releaseRecycled, threads: 1, refusal };
  }
  const side = training.side;
  // A net that reads the images as they are (28×28) has each thread fill its own chunk's; a resized one's are
  // filled (and resized) here and copied.
  const fills = side === training.train.rows;
  const team = new GradientTeam(training.spec, training.settings.batchSize, [1, side, side], training.classes, [...ports], alarm,
    fills ? { train: training.train, test: training.test } : null);
  return {
    step: (t) => t.stepWith((batch) => team.gradients(batch, stop === undefined ? t.batchOptions() : checkedOptions(t.batchOptions(), stop), t.params),
      (set) => team.logits(t, set), fills),
    close: () => {
      team.close();
      releaseRecycled();
    },
    threads: team.size,
    refusal: null,
  };
}

/** The helper's side: claims chunks of each run the leader opens over `port`, until the leader closes it. */
export function serveGradients(port: MessagePort): void {
  let run: (SharedRun & { member: number }) | null = null;
  port.on('message', (request: HelperRequest) => {
    if (request.kind === 'setup') {
      run = sharedRun(request.spec, request, request.pixels, request.shape, request.width, request.member);
      return;
    }
    const shared = run;
    // Without its setup a helper claims nothing: the leader takes every chunk.
    if (shared === null) return;
    // A chunk that gave up because another failed has nothing to tell: the failed one reports.
    const report = (error: unknown) => error instanceof SliceAborted || port.postMessage({
      code: error instanceof ConvLabError ? error.code : null, message: error instanceof Error ? error.message : String(error),
    } satisfies HelperFailure);
    if (request.kind === 'logits') return claimChunks(shared.control, request.run, request.starts.length - 1, (c) => logitsChunk(shared, request, c), report);
    // Once another chunk failed (the leader's too, when its run was stopped), this one gives up between layers.
    const asked = { ...request, options: untilFailed(request.options, () => Atomics.load(shared.control, FAILED) !== 0) };
    if (shared.width === 0) claimChunks(shared.control, request.run, request.starts.length - 1, (c) => gradientChunk(shared, asked, c), report);
    // One chunk a thread, met at batch norm's barriers: this helper's is its member number's (none in a short run).
    else if (shared.member < request.starts.length - 1) {
      workChunk(shared.control, request.starts.length - 1, shared.member, (c) => gradientChunk(shared, asked, c), report);
    }
  });
  port.on('close', () => {
    run = null;
    releaseRecycled();
  });
}
