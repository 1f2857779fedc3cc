/**
 * The LeNet layer table for the settings being edited: each layer's output shape, trainable parameters and receptive
 * field (size and jump on the 28×28 input), inferred by core from the same spec the worker trains, never hand-counted.
 */
import { lenetSpec } from '../../../../core/nets/lenet';
import { inferSpec } from '../../../../core/nets/infer';
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

export function lenetLayerTable(settings: Pick<NetSettings, 'activation' | 'pooling' | 'channels'>): LayerTable {
  const spec = lenetSpec({ activation: settings.activation, pooling: settings.pooling, channels: [settings.channels[0], settings.channels[1]] });
  const inferred = inferSpec(spec, [1, 1, 28, 28]);
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
