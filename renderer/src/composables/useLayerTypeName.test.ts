import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { layerTypeNamer } from './useLayerTypeName';

describe("a layer kind's name", () => {
  const name = layerTypeNamer((key) => i18n.global.t(key), (key) => i18n.global.te(key));

  it('is the message of its kind', () => {
    expect(name('conv2d')).toBe('conv');
    expect(name('global_avg_pool')).toBe('global avg pool');
  });

  it('is its type for a kind the messages do not name yet, so a new kind needs no message to be shown', () => {
    expect(name('toy_scale')).toBe('toy_scale');
  });
});
