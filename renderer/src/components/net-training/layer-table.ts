/**
 * The layer table for the settings being edited: each layer's output shape, trainable parameters and receptive
 * field (size and jump on the input the net reads), inferred by core from the same spec the worker trains, never
 * hand-counted. A larger net's blocks (a residual, an Inception) are one row each.
 */
import { inferSpec, trainingNet } from '../../../../electron/contract/core-exports';
import type { NetSettings } from '../../../../electron/contract/contract';

export interface LayerRow {
  /** The model path ("0" … "11"), as the prediction's layers name them. */
  path: string;
  type: string;
  /** Without the batch: (6, 24, 24) or (120). */
  shape: number[];
  parameters: number;
  /** Field side and jump in input pixels (LeNet's are square). */
  fieldSize: number;
  fieldJump: number;
}

export interface LayerTable {
  rows: LayerRow[];
  parameters: number;
  /** Multiply-adds of one image's forward pass. */
  macs: number;
}

/** The table, or null while a setting cannot build the network (the main side names the problem on Train). */
export function layerTable(settings: Pick<NetSettings, 'net' | 'activation' | 'pooling' | 'channels' | 'divisor'>): LayerTable | null {
  let inferred: ReturnType<typeof inferSpec>;
  try {
    const net = trainingNet({ ...settings, channels: [settings.channels[0], settings.channels[1]], lr: 1, batchSize: 1, epochs: 1, seed: 0, momentum: 0 });
    inferred = inferSpec(net.spec, [1, 1, net.side, net.side]);
  } catch {
    return null;
  }
  return {
    rows: inferred.rows.map((r) => ({
      path: r.path,
      type: r.spec.type,
      shape: r.output.slice(1),
      parameters: r.parameters,
      fieldSize: r.field.size[0],
      fieldJump: r.field.jump[0],
    })),
    parameters: inferred.parameters,
    macs: inferred.macs,
  };
}
