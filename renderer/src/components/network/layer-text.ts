/** A layer's settings in words of the user's language, for the table and the diagram. */
import type { RowView } from '../../../../electron/contract/network-contract';
import { pairText } from './explorer-math';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The settings a row may carry (the layer table gives each kind only its own), in the order the text lists them. */
const SETTINGS = ['channels', 'features', 'kernel', 'stride', 'padding', 'rate'] as const;

/**
 * The row's settings, each in the words of its own key, joined: every kind is written from the settings its row
 * of the layer table gives (no kind is named here); a residual says what its skip is.
 */
export function settingsText(t: Translate, row: RowView): string {
  if (row.identitySkip !== undefined) return t(row.identitySkip ? 'network.table.settingsText.identitySkip' : 'network.table.settingsText.convSkip');
  const s = row.settings;
  const parts = SETTINGS.flatMap((key) => {
    const value = s[key];
    return value === undefined ? [] : [t(`network.table.settingsText.${key}`, { [key]: Array.isArray(value) ? pairText(value) : value })];
  });
  return parts.join(t('network.table.settingsText.separator'));
}

/** Whole numbers with the locale's grouping: 11,178,378. */
export const countText = (n: number, locale: string): string => n.toLocaleString(locale);

/** A layer's settings in symbols, short enough for a diagram's narrow paths: "128, 3×3 /2 +1", "max 3×3 /1 +1". */
export function shortSettings(row: RowView): string {
  const s = row.settings;
  const window = () => `${pairText(s.kernel!)}${s.stride![0] === 1 && s.stride![1] === 1 ? '' : ` /${s.stride![0]}`}${s.padding![0] === 0 && s.padding![1] === 0 ? '' : ` +${s.padding![0]}`}`;
  const count = s.channels ?? s.features ?? s.rate;
  return [count === undefined ? '' : `${count}`, s.kernel === undefined ? '' : window()].filter((part) => part !== '').join(', ');
}
