/**
 * One kernel-learning run inside the engine worker: steps core's trainer one iteration per task, streams an
 * event per iteration, and obeys pause, resume, step and stop between iterations.
 */
import { createTrainer } from '../../core/index';
import type { RequestOf, TrainingEvent } from '../contract/contract';

type State = 'running' | 'paused' | 'stopped';

export class TrainingRun {
  private state: State = 'paused';
  /** Cancels the scheduled iteration, if one is. */
  private cancel: (() => void) | null = null;
  private readonly trainer: ReturnType<typeof createTrainer>;

  constructor(
    readonly id: number,
    private readonly settings: RequestOf<'trainStart'>,
    private readonly emit: (event: TrainingEvent) => void,
  ) {
    // Built here so that bad settings are refused before the run is announced.
    this.trainer = createTrainer({
      x: settings.x,
      y: settings.y,
      kernel: settings.kernel,
      initWeight: settings.initWeight,
      seed: settings.seed,
      learnBias: settings.learnBias,
      lr: settings.lr,
      iterations: settings.iterations,
      flip: settings.flip,
    });
  }

  start(): void {
    this.state = 'running';
    this.schedule();
  }

  control(command: 'pause' | 'resume' | 'step' | 'stop'): State {
    if (this.state === 'stopped') return this.state;
    if (command === 'pause' && this.state === 'running') {
      this.cancelTimer();
      this.state = 'paused';
      this.emit(this.event('paused'));
    } else if (command === 'resume' && this.state === 'paused') {
      this.state = 'running';
      this.schedule();
    } else if (command === 'step' && this.state === 'paused') {
      this.iterate();
    } else if (command === 'stop') {
      this.stop();
    }
    return this.state;
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.cancelTimer();
    this.state = 'stopped';
    this.emit(this.event('stopped'));
  }

  private event(kind: TrainingEvent['kind'], extra: Partial<TrainingEvent> = {}): TrainingEvent {
    return { runId: this.id, kind, iteration: this.trainer.iteration, iterations: this.settings.iterations, ...extra };
  }

  private cancelTimer(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private schedule(): void {
    this.cancelTimer();
    const next = () => {
      this.cancel = null;
      if (this.state !== 'running') return;
      this.iterate();
      if (this.state === 'running') this.schedule();
    };
    // Flat out, setImmediate still lets pause and stop messages in between iterations, without setTimeout's 1 ms
    // floor (which made 10,000 iterations take 12 s).
    if (this.settings.pace > 0) {
      const timer = setTimeout(next, this.settings.pace);
      this.cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(next);
      this.cancel = () => clearImmediate(immediate);
    }
  }

  private iterate(): void {
    let step;
    try {
      step = this.trainer.step();
    } catch (error) {
      this.state = 'stopped';
      this.emit(this.event('error', { message: error instanceof Error ? error.message : String(error) }));
      return;
    }
    const diverged = !Number.isFinite(step.loss) || !step.weight.every(Number.isFinite) || !Number.isFinite(step.bias);
    this.emit(
      this.event('step', {
        iteration: step.iteration,
        loss: step.loss,
        weight: step.weight,
        bias: step.bias,
        grad: step.grad,
        biasGrad: step.biasGrad,
      }),
    );
    if (diverged) {
      this.state = 'stopped';
      this.emit(this.event('diverged', { iteration: step.iteration }));
    } else if (step.iteration >= this.settings.iterations) {
      this.state = 'stopped';
      this.emit(this.event('done', { iteration: step.iteration }));
    }
  }
}
