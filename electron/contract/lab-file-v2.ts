/**
 * Version 2 of the lab file: the input has channels (section 5.3: several input channels, RGB images). Its data is
 * CHW, channel after channel; the first convolution reads the input's channels. Everything else is as in version 1,
 * and a version-1 lab becomes one with a one-channel input.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { brokenChannelChain, int, LayerListV1, object, TrainingHistoryV1, TrainingSettingsV1, values, type LabV1 } from './lab-file-v1';

export const InputV2 = v.pipe(
  object(
    {
      channels: int(1, LIMITS.maxChannels, 'input channels'),
      height: int(1, LIMITS.maxImageSide, 'input height'),
      width: int(1, LIMITS.maxImageSide, 'input width'),
      data: values('input value', LIMITS.maxChannels * LIMITS.maxImageSide * LIMITS.maxImageSide),
    },
    'input',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { channels, height, width, data } = dataset.value;
    if (data.length !== channels * height * width) {
      addIssue({
        message: `has ${data.length} values; ${channels} channel${channels === 1 ? '' : 's'} of ${height}×${width} need ${channels * height * width}`,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'data', value: data }],
      });
    }
  }),
);

/** Each convolution must read what the layer before it gives, the first what the input's channels give. */
export const channelChainCheck = <T extends { input: { channels: number }; layers: readonly object[] }>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { input, layers } = dataset.value;
    const broken = brokenChannelChain(layers, input.channels);
    if (!broken) return;
    const layer = layers[broken.index] as { inChannels: number };
    addIssue({
      message: broken.message,
      path: [
        { type: 'object', origin: 'value', input: dataset.value, key: 'layers', value: layers },
        { type: 'array', origin: 'value', input: layers, key: broken.index, value: layer },
        { type: 'object', origin: 'value', input: layer, key: 'inChannels', value: layer.inChannels },
      ],
    });
  });

export const LabV2 = v.pipe(
  object(
    {
      input: InputV2,
      layers: LayerListV1,
      training: object({ settings: TrainingSettingsV1, history: TrainingHistoryV1 }, 'training'),
    },
    'lab',
  ),
  // Each convolution must read what the layer before it gives, the first what the input gives.
  channelChainCheck(),
);

export type LabV2 = v.InferOutput<typeof LabV2>;

/** A version-1 lab as version 2: its input was one grey channel. */
export function labV1toV2(lab: LabV1): LabV2 {
  return { ...lab, input: { channels: 1, ...lab.input } };
}
