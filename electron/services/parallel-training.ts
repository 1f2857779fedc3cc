/**
 * Data-parallel training over engine workers. The worker that owns a run (the leader) keeps its Training; the
 * others (helpers) each hold one end of a MessagePort. Per batch the leader copies the net's parameters and each
 * helper's slice of the batch into SharedArrayBuffers, tells the helpers to go, computes its own slice meanwhile,
 * then adds the helpers' gradients (also in shared memory) to its own and takes the one SGD step. Each slice's
 * gradient is Σ over its samples / the full batch size, so the sum is one worker's gradient to float rounding,
 * the book's short last batch included. Only messages of a few numbers cross per step; arrays never do.
 * A helper that dies closes its port: the step waiting on it, and the run, end with an error saying so.
 */
import type { MessagePort } from 'node:worker_threads';
import { ConvLabError, type ErrorCode } from '../../core/errors';
import { releaseRecycled } from '../../core/ops/floats';
import type { NetSpec } from '../../core/nets/model';
import type { LossOptions } from '../../core/nets/run';
import { addSlice, flatGradLength, flatParamLength, packGrads, packParams, paramsOver, sliceOf, splitRefusal } from '../../core/nets/split';
import { batchGradients, classifyInto, EVAL_CHUNK, type BatchGradients, type StepResult, type Training, type TrainingBatch } from '../../core/nets/train';
import type { LabelledImages } from '../../core/data/idx';
import type { Tensor } from '../../core/tensor';

/** Images n0..n1−1 of a batch tensor, sharing its memory. */
function sliceImages(x: Tensor, n0: number, n1: number): Tensor {
  const per = x.data.length / x.shape[0];
  return { shape: [n1 - n0, ...x.shape.slice(1)], data: x.data.subarray(n0 * per, n1 * per) };
}

/** Leader → helper. */
type HelperRequest =
  | { kind: 'setup'; spec: NetSpec; params: SharedArrayBuffer; x: SharedArrayBuffer; labels: SharedArrayBuffer; grads: SharedArrayBuffer;
    classes: SharedArrayBuffer; pixels: number; shape: number[] }
  | { kind: 'slice'; id: number; n0: number; n1: number; options: LossOptions }
  /** Predict mode: the classes of images n0..n1−1 of the shared images, into the shared classes. */
  | { kind: 'classify'; id: number; n0: number; n1: number };

/** Helper → leader. */
type HelperReply =
  | { id: number; ok: true; lossSum: number; correct: number }
  | { id: number; ok: false; code: string | null; message: string };

interface Helper {
  port: MessagePort;
  grads: Float32Array;
  waiting: { resolve: (r: { lossSum: number; correct: number }) => void; reject: (e: Error) => void } | null;
  /** Why this helper can no longer answer, once it cannot. */
  lost: string | null;
}

/** The leader's side: splits each batch between itself and the helpers behind `ports`. */
export class GradientTeam {
  private readonly helpers: Helper[];
  private readonly params: Float32Array;
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  private readonly classes: Int32Array;
  private readonly pixels: number;
  private nextId = 1;

  constructor(private readonly spec: NetSpec, batchSize: number, imageShape: readonly number[], ports: MessagePort[]) {
    this.pixels = imageShape.reduce((a, b) => a * b, 1);
    const share = (bytes: number) => new SharedArrayBuffer(bytes);
    const room = Math.max(batchSize, EVAL_CHUNK);
    const params = share(flatParamLength(spec) * 4), x = share(room * this.pixels * 4), labels = share(room * 4), classes = share(EVAL_CHUNK * 4);
    this.params = new Float32Array(params);
    this.x = new Float32Array(x);
    this.labels = new Int32Array(labels);
    this.classes = new Int32Array(classes);
    this.helpers = ports.map((port) => {
      const grads = share(flatGradLength(spec) * 4);
      const helper: Helper = { port, grads: new Float32Array(grads), waiting: null, lost: null };
      port.on('message', (reply: HelperReply) => {
        const waiting = helper.waiting;
        helper.waiting = null;
        if (!waiting) return;
        if (reply.ok) waiting.resolve(reply);
        else waiting.reject(reply.code === null ? new Error(reply.message) : new ConvLabError(reply.code as ErrorCode, reply.message));
      });
      port.on('close', () => {
        helper.lost ??= 'an engine worker sharing this run stopped mid-run';
        helper.waiting?.reject(new Error(`${helper.lost}; the run was stopped`));
        helper.waiting = null;
      });
      port.postMessage({ kind: 'setup', spec, params, x, labels, grads, classes, pixels: this.pixels, shape: [...imageShape] } satisfies HelperRequest);
      return helper;
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

  /** Gives each helper its slice of `x` (and `labels`) in shared memory and asks it for `request`. */
  private ask(x: Float32Array, labels: Int32Array | null, count: number, request: (n0: number, n1: number, id: number) => HelperRequest) {
    return this.helpers.map((helper, h) => {
      const [n0, n1] = sliceOf(count, h + 1, this.size);
      this.x.set(x.subarray(n0 * this.pixels, n1 * this.pixels), n0 * this.pixels);
      if (labels !== null) this.labels.set(labels.subarray(n0, n1), n0);
      return new Promise<{ lossSum: number; correct: number }>((resolve, reject) => {
        helper.waiting = { resolve, reject };
        helper.port.postMessage(request(n0, n1, this.nextId++));
      });
    });
  }

  /** The class of every image of `set` (predict mode), each chunk split like a batch. */
  async classify(training: Training, set: LabelledImages): Promise<Int32Array> {
    this.checkHelpers();
    packParams(this.spec, training.params, this.params);
    const out = new Int32Array(set.count);
    for (let start = 0; start < set.count; start += EVAL_CHUNK) {
      const count = Math.min(EVAL_CHUNK, set.count - start);
      const x = training.evalChunk(set, start, count);
      const asked = this.ask(x.data, null, count, (n0, n1, id) => ({ kind: 'classify', id, n0, n1 }));
      const [m0, m1] = sliceOf(count, 0, this.size);
      await this.settle(asked, () => classifyInto(this.spec, training.params, sliceImages(x, m0, m1), out, start + m0));
      this.helpers.forEach((_, h) => {
        const [n0, n1] = sliceOf(count, h + 1, this.size);
        out.set(this.classes.subarray(n0, n1), start + n0);
      });
    }
    return out;
  }

  /** Runs the leader's own share, then waits for every helper (failed or not); throws the first failure. */
  private async settle<T>(asked: Promise<{ lossSum: number; correct: number }>[], own: () => T): Promise<{ own: T; answers: { lossSum: number; correct: number }[] }> {
    let mine: T | undefined, ownError: unknown = null;
    try {
      mine = own();
    } catch (error) {
      ownError = error;
    }
    const answers = await Promise.allSettled(asked);
    if (ownError !== null) throw ownError;
    const failed = answers.find((a) => a.status === 'rejected');
    if (failed) throw failed.reason;
    return { own: mine as T, answers: answers.map((a) => (a as PromiseFulfilledResult<{ lossSum: number; correct: number }>).value) };
  }

  /** The whole batch's gradients: slice 0 here, slice h + 1 on helper h, added up. */
  async gradients(batch: TrainingBatch, options: LossOptions, params: Training['params']): Promise<BatchGradients> {
    this.checkHelpers();
    packParams(this.spec, params, this.params);
    const count = batch.count;
    const asked = this.ask(batch.x.data, batch.labels, count,
      (n0, n1, id) => ({ kind: 'slice', id, n0, n1, options: { mode: options.mode, gradDivisor: options.gradDivisor } }));
    // While the helpers work, the leader takes its own slice.
    const [m0, m1] = sliceOf(count, 0, this.size);
    const { own, answers } = await this.settle(asked, () =>
      batchGradients(this.spec, params, sliceImages(batch.x, m0, m1), batch.labels.subarray(m0, m1), options));
    answers.forEach((a, h) => addSlice(this.spec, own, { ...a, grads: this.helpers[h].grads }));
    return own;
  }

  /** Lets the helpers go (their ports close, they drop the run's buffers). */
  close(): void {
    for (const helper of this.helpers) {
      helper.lost ??= 'the run has ended';
      helper.port.close();
    }
  }
}

/**
 * How a run steps: split over `ports`' helpers when there are any and the net allows it, else one worker's
 * step. `close` lets the helpers go (call it when the run ends); `threads` says how many share each batch and
 * `refusal` why a net stayed on one worker although helpers were offered.
 */
export function teamStepper(training: Training, ports: readonly MessagePort[] = []): {
  step: (t: Training) => StepResult | Promise<StepResult>; close: () => void; threads: number; refusal: string | null;
} {
  const refusal = ports.length === 0 ? null : splitRefusal(training.spec);
  if (ports.length === 0 || refusal !== null) {
    for (const port of ports) port.close();
    return { step: (t) => t.step(), close: releaseRecycled, threads: 1, refusal };
  }
  const side = training.side;
  const team = new GradientTeam(training.spec, training.settings.batchSize, [1, side, side], [...ports]);
  return {
    step: (t) => t.stepWith((batch) => team.gradients(batch, t.batchOptions(), t.params), (set) => team.classify(t, set)),
    close: () => {
      team.close();
      releaseRecycled();
    },
    threads: team.size,
    refusal: null,
  };
}

/** The helper's side: answers slices over `port` until the leader closes it. */
export function serveGradients(port: MessagePort): void {
  let run: {
    spec: NetSpec; params: ReturnType<typeof paramsOver>; x: Float32Array; labels: Int32Array; grads: Float32Array; classes: Int32Array;
    pixels: number; shape: number[];
  } | null = null;
  port.on('message', (request: HelperRequest) => {
    if (request.kind === 'setup') {
      run = {
        spec: request.spec, params: paramsOver(request.spec, new Float32Array(request.params)), x: new Float32Array(request.x),
        labels: new Int32Array(request.labels), grads: new Float32Array(request.grads), classes: new Int32Array(request.classes),
        pixels: request.pixels, shape: request.shape,
      };
      return;
    }
    try {
      if (run === null) throw new Error('a slice came before the run was set up');
      const { n0, n1 } = request;
      const x = { shape: [n1 - n0, ...run.shape], data: run.x.subarray(n0 * run.pixels, n1 * run.pixels) };
      if (request.kind === 'classify') {
        classifyInto(run.spec, run.params, x, run.classes, n0);
        port.postMessage({ id: request.id, ok: true, lossSum: 0, correct: 0 } satisfies HelperReply);
        return;
      }
      const r = batchGradients(run.spec, run.params, x, run.labels.subarray(n0, n1), request.options);
      packGrads(run.spec, r.grads, run.grads);
      port.postMessage({ id: request.id, ok: true, lossSum: r.lossSum, correct: r.correct } satisfies HelperReply);
    } catch (error) {
      const code = error instanceof ConvLabError ? error.code : null;
      port.postMessage({ id: request.id, ok: false, code, message: error instanceof Error ? error.message : String(error) } satisfies HelperReply);
    }
  });
  port.on('close', () => {
    run = null;
    releaseRecycled();
  });
}
