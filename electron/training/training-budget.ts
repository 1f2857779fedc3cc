/**
 * A network training run priced before it starts, like the forward's budget (core/budget.ts): the memory it will
 * hold and the multiply-adds of one step, worked out from the settings' shapes alone. A run above either limit is
 * refused with its figure and the limit, instead of taking the host to gigabytes (GoogLeNet ÷1 at batch 1024 took it
 * from 95 to 2,247 MiB, never given back) or a first batch of half a minute.
 */
import { ConvLabError } from '../../core/errors';
import { inferSpec } from '../../core/nets/infer';
import { NET_TITLES, SCALED_NETS, trainingNet } from '../../core/nets/catalogue';
import { EVAL_CHUNK } from '../../core/nets/train';
import type { NetSettings } from '../contract/net-contract';

export interface TrainingPrice {
  /** Bytes the run holds while it trains (activations, gradients, parameters and their copies). */
  bytes: number;
  /** Bytes its net keeps once the run has ended (or when it is opened from a lab): its weights and their copies. */
  keptBytes: number;
  /** Multiply-adds of one training step: the forward pass and the backward's two products. */
  stepMultiplyAdds: number;
  /** "GoogLeNet ÷1 at batch 1024": what the messages call the run. */
  title: string;
}

const MiB = 1024 * 1024;

/**
 * Memory the runs of a host may hold together, going or ended (an ended run's net is kept for its page). Chosen so each trainable network's book settings fit at
 * divisor 1 (ResNet-18 ÷1 at batch 256 is priced about 690 MiB) while a host with its runs stays under 1.5 GiB.
 */
export const TRAINING_MEMORY_BUDGET = 1024 * MiB;

/**
 * Most multiply-adds of one step: about 25 s of the engine on one shared core (1.2 billion a second with the
 * WebAssembly kernels), the book settings of ResNet-18 ÷1 (25.4 billion) just inside, GoogLeNet ÷1 at batch 1024
 * (88.4 billion) well outside.
 */
export const MAX_STEP_MULTIPLY_ADDS = 30_000_000_000;

/**
 * Bytes per activation value a training step holds: the value itself, the saved copy backward reads, its gradient
 * and the layers' work buffers (im2col, masks). Measured: GoogLeNet ÷1 at batch 1024 (568 MiB of layer outputs)
 * grew the host by about 2,150 MiB, close to four times its outputs.
 */
const TRAINING_BYTES_PER_VALUE = 16;
/** The test pass keeps no activations for backward: each value and a work buffer about half its size. */
const EVAL_BYTES_PER_VALUE = 6;
/** Copies of the parameters a run keeps: weights, gradients, momentum, the shared copy a split run reads and its chunks' gradients. */
const PARAM_COPIES = 6;
/** Copies an ended run's net keeps until its page replaces it or closes: weights, momentum, and a snapshot being saved. */
const KEPT_COPIES = 3;

const gib = (bytes: number) => `${(bytes / (1024 * MiB)).toFixed(2)} GiB`;
const mib = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;
const amount = (bytes: number) => (bytes >= 1024 * MiB ? gib(bytes) : mib(bytes));
const billions = (n: number) => `${(n / 1e9).toFixed(1)} billion`;

/** What training `settings` will cost, from its network's shapes at its batch size. */
export function priceTraining(settings: NetSettings): TrainingPrice {
  const { spec, side } = trainingNet({ ...settings, channels: [...settings.channels] });
  const batch = settings.batchSize;
  const inference = inferSpec(spec, [1, 1, side, side]);
  // Containers (residual, concat) sum their children: only the layers themselves hold outputs.
  const perImage = inference.rows
    .filter((row) => row.spec.type !== 'residual' && row.spec.type !== 'concat')
    .reduce((sum, row) => sum + row.output.reduce((a, b) => a * b, 1), 0);
  const activations = Math.max(perImage * batch * TRAINING_BYTES_PER_VALUE, perImage * EVAL_CHUNK * EVAL_BYTES_PER_VALUE);
  const images = Math.max(batch, EVAL_CHUNK) * (side * side + 28 * 28) * 4;
  const scaled = settings.net === 'lenet' || settings.net === 'bn_lenet' ? null : SCALED_NETS[settings.net];
  const title = `${NET_TITLES[settings.net]}${scaled ? ` ÷${settings.divisor ?? scaled.divisor}` : ''} at batch ${batch}`;
  return {
    bytes: activations + inference.parameters * 4 * PARAM_COPIES + images,
    keptBytes: inference.parameters * 4 * KEPT_COPIES + images,
    stepMultiplyAdds: 3 * inference.macs * batch,
    title,
  };
}

/** What the other pages' runs and nets hold: their bytes, the runs going and the nets kept after their runs. */
export interface HeldByOthers { bytes: number; runs: number; nets: number }

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "the 1 training run and 2 networks of other tabs": what holds the budget, in words. */
function holders({ runs, nets }: HeldByOthers): string {
  const parts = [runs > 0 ? counted(runs, 'training run', 'training runs') : '', nets > 0 ? counted(nets, 'network', 'networks') : ''];
  return `the ${parts.filter(Boolean).join(' and ')} of other pages on this host`;
}

/**
 * Refuses a run above the step limit, or whose memory with what other pages hold is above TRAINING_MEMORY_BUDGET,
 * stating the figure and the limit.
 */
export function checkTrainingPrice(price: TrainingPrice, others: HeldByOthers = { bytes: 0, runs: 0, nets: 0 }): void {
  if (price.stepMultiplyAdds > MAX_STEP_MULTIPLY_ADDS) {
    throw new ConvLabError('limit', `${price.title} needs ${billions(price.stepMultiplyAdds)} multiply-adds per training step; ` +
      `the limit is ${billions(MAX_STEP_MULTIPLY_ADDS)} (use a smaller batch or a larger width divisor)`);
  }
  if (price.bytes > TRAINING_MEMORY_BUDGET) {
    throw new ConvLabError('limit', `${price.title} needs about ${amount(price.bytes)} of memory to train; ` +
      `the limit is ${amount(TRAINING_MEMORY_BUDGET)} (use a smaller batch or a larger width divisor)`);
  }
  if (others.bytes + price.bytes > TRAINING_MEMORY_BUDGET) {
    throw new ConvLabError('limit', `${price.title} needs about ${amount(price.bytes)} of memory to train, but ${holders(others)} ` +
      `hold ${amount(others.bytes)} of its ${amount(TRAINING_MEMORY_BUDGET)}; wait for a run to end or a page to close, ` +
      'or use a smaller batch or a larger width divisor');
  }
}

/** Refuses opening a saved net whose weights, with what other pages hold, are above TRAINING_MEMORY_BUDGET. */
export function checkKeptPrice(price: TrainingPrice, others: HeldByOthers): void {
  if (others.bytes + price.keptBytes > TRAINING_MEMORY_BUDGET) {
    throw new ConvLabError('limit', `opening ${price.title.replace(/ at batch \d+$/, '')} needs about ${amount(price.keptBytes)} of memory, but ` +
      `${holders(others)} hold ${amount(others.bytes)} of its ${amount(TRAINING_MEMORY_BUDGET)}; wait for a run to end or a page to close`);
  }
}
