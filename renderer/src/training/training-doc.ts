/**
 * The training part of a lab document (section 5.1.4): how a kernel is to be learned, and what the last run did.
 * Saved with the lab, so a teacher's prepared experiment opens ready to run and a learner's run can be replayed.
 */
import type { Pair } from '../../../electron/contract/contract';

export interface TrainingSettings {
  /** X: the lab's current input, or the book's 6×8 bars image. */
  input: 'lab' | 'bars';
  /** Y: X run through a target kernel, or the output of layer 1 of the stack as it is. */
  target: 'kernel' | 'layer1';
  /** The kernel that makes Y from X when target is 'kernel'. */
  targetKernel: number[][];
  /** Hide the target kernel, so the learner sees only X and Y, as the model does. */
  targetHidden: boolean;
  kernelSize: Pair;
  learnBias: boolean;
  lr: number;
  iterations: number;
  /** Seed of the default initialisation (Uniform(−0.07, 0.07)), used when initWeight is null. */
  seed: number;
  initWeight: number[] | null;
  /** Learn a true convolution instead of a cross-correlation (section 5.1.5). */
  flip: boolean;
}

/** How a run ended: all its iterations, stopped by the user, or stopped by a loss that left the numbers. */
export type TrainingOutcome = 'done' | 'stopped' | 'diverged';

export interface TrainingHistory {
  /** loss[t] is l.sum() of iteration t + 1, before its update (what the book prints). */
  losses: number[];
  /** weights[t] is the kernel after iteration t + 1, row-major. */
  weights: number[][];
  biases: number[];
  /** The iteration of each entry, when not every iteration is kept (runs longer than 2,000); absent: 1, 2, 3, … */
  at?: number[];
  /** How the run ended; absent before any run. */
  outcome?: TrainingOutcome;
}

export interface TrainingDoc {
  settings: TrainingSettings;
  history: TrainingHistory;
}

/** The book's run: X the bars image, Y its edge map, a (1, 2) kernel, lr 0.03, 10 iterations, bias frozen. */
export const BOOK_TRAINING: TrainingSettings = {
  input: 'bars',
  target: 'kernel',
  targetKernel: [[1, -1]],
  targetHidden: false,
  kernelSize: [1, 2],
  learnBias: false,
  lr: 0.03,
  iterations: 10,
  seed: 0,
  initWeight: null,
  flip: false,
};

/**
 * The book's starting weights, reconstructed from its printed result (shared/reference, `book_reconstructed`):
 * from them the run prints exactly 4.949 0.831 0.140 0.024 0.004 and ends at [0.9895, −0.9873705].
 */
export const BOOK_START: readonly number[] = [0.006834091, 0.012998423];

/** "The book's run": its settings with its starting weights, so the learner sees the book's exact numbers. */
export const BOOK_RUN: TrainingSettings = { ...BOOK_TRAINING, initWeight: [...BOOK_START] };

export const emptyHistory = (): TrainingHistory => ({ losses: [], weights: [], biases: [] });

export const defaultTraining = (): TrainingDoc => ({ settings: { ...BOOK_TRAINING }, history: emptyHistory() });
