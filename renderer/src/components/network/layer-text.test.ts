import { describe, expect, it } from 'vitest';
import { exploreNetwork } from '../../../../core/nets/explore';
import en from '../../i18n/network/en';
import zh from '../../i18n/network/zh-CN';
import { settingsText, shortSettings } from './layer-text';

/** A translator over one language's network strings, interpolating {name} as vue-i18n does. */
const translator = (messages: unknown) => (key: string, values: Record<string, unknown> = {}): string => {
  const text = key.replace(/^network\./, '').split('.').reduce((m: unknown, k) => (m as Record<string, unknown>)[k], messages) as string;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
};

describe("a layer's settings in words, written from its row of the layer table", () => {
  const rows = exploreNetwork('resnet18', 224).view.rows.concat(exploreNetwork('alexnet', 224).view.rows);
  const first = (type: string, identitySkip?: boolean) => rows.find((r) => r.type === type && (identitySkip === undefined || r.identitySkip === identitySkip))!;

  it('reads in English as the book would say it', () => {
    const t = translator(en);
    expect(settingsText(t, first('conv2d'))).toBe('64 ch, 7×7, stride 2×2, pad 3×3');
    expect(settingsText(t, first('maxpool'))).toBe('3×3, stride 2×2, pad 1×1');
    expect(settingsText(t, first('dense'))).toBe('10 units');
    expect(settingsText(t, first('batchnorm'))).toBe('64 ch');
    expect(settingsText(t, first('dropout'))).toBe('p = 0.5');
    expect(settingsText(t, first('residual', true))).toBe('identity skip');
    expect(settingsText(t, first('residual', false))).toBe('1×1 conv skip');
    expect(settingsText(t, first('relu'))).toBe('');
  });

  it('reads in Chinese with its own separator', () => {
    expect(settingsText(translator(zh), first('conv2d'))).toBe('64 通道，7×7，步幅 2×2，填充 3×3');
  });

  it('is short enough for the diagram in symbols', () => {
    expect(shortSettings(first('conv2d'))).toBe('64, 7×7 /2 +3');
    expect(shortSettings(first('maxpool'))).toBe('3×3 /2 +1');
    expect(shortSettings(first('dense'))).toBe('10');
    expect(shortSettings(first('dropout'))).toBe('0.5');
    expect(shortSettings(first('relu'))).toBe('');
  });
});
