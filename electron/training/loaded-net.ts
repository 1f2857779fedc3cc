/**
 * A trained network (a LeNet, a BN-LeNet or a scaled-down larger one) opened from a lab file: its weights in the engine worker, classifying without retraining. It is
 * not training, so pause, resume and stop are refused by name; saving it again gives back what was loaded.
 */
import type { LabelledImages } from '../../core/data/idx';
import type { NetSpec, Params } from '../../core/nets/model';
import { checkParams } from '../../core/nets/params';
import { trainingNet } from '../../core/nets/catalogue';
import { savedNetParams, type SavedNet } from '../contract/lab-file-v3';
import type { NetPrediction } from '../contract/net-contract';
import { netPrediction } from './net-prediction';
import { netTrainingUnitGradient, type UnitGradientQuery } from './net-unit-gradient';
import type { NetUnitGradient } from '../contract/net-probe-contract';

export class LoadedNet {
  readonly spec: NetSpec;
  readonly params: Params;
  /** The image side the network reads. */
  readonly side: number;

  constructor(
    readonly id: number,
    private readonly saved: SavedNet,
    private readonly test: LabelledImages | null,
  ) {
    const net = trainingNet({ ...saved.settings, channels: [...saved.settings.channels] });
    this.spec = net.spec;
    this.side = net.side;
    this.params = savedNetParams(saved);
    // The contract's gate has checked the same rules; core checks again before any weight is used.
    checkParams(this.spec, this.params);
  }

  control(command: string): never {
    throw Object.assign(new Error(`net ${this.id} was opened from a lab and is not training (cannot ${command})`), { code: 'range' });
  }

  predict(image: { test: number } | { pixels: Float32Array }): NetPrediction {
    return netPrediction(this.spec, this.params, this.test, image, this.side);
  }

  unitGradient(query: UnitGradientQuery): NetUnitGradient {
    return netTrainingUnitGradient(this.spec, this.params, this.test, query, this.side);
  }

  snapshot(): SavedNet {
    return this.saved;
  }
}
