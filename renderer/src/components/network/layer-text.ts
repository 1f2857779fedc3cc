/** A layer's settings in words of the user's language, for the table and the diagram. */
import type { RowView } from '../../../../electron/contract/network-contract';
import { pairText } from './explorer-math';

type Translate = (key: string, values?: Record<string, unknown>) => string;

export function settingsText(t: Translate, row: RowView): string {
  const s = row.settings;
  switch (row.type) {
    case 'conv2d':
      return t('network.table.settingsText.conv2d', { channels: s.channels, kernel: pairText(s.kernel!), stride: pairText(s.stride!), padding: pairText(s.padding!) });
    case 'maxpool':
    case 'avgpool':
      return t('network.table.settingsText.pool', { kernel: pairText(s.kernel!), stride: pairText(s.stride!), padding: pairText(s.padding!) });
    case 'dense':
      return t('network.table.settingsText.dense', { features: s.features });
    case 'batchnorm':
      return t('network.table.settingsText.batchnorm', { channels: s.channels });
    case 'dropout':
      return t('network.table.settingsText.dropout', { rate: s.rate });
    case 'residual':
      return t(row.identitySkip ? 'network.table.settingsText.identitySkip' : 'network.table.settingsText.convSkip');
    default:
      return '';
  }
}

/** Whole numbers with the locale's grouping: 11,178,378. */
export const countText = (n: number, locale: string): string => n.toLocaleString(locale);

/** A layer's settings in symbols, short enough for a diagram's narrow paths: "128, 3×3 /2 +1", "max 3×3 /1 +1". */
export function shortSettings(row: RowView): string {
  const s = row.settings;
  const window = () => `${pairText(s.kernel!)}${s.stride![0] === 1 && s.stride![1] === 1 ? '' : ` /${s.stride![0]}`}${s.padding![0] === 0 && s.padding![1] === 0 ? '' : ` +${s.padding![0]}`}`;
  switch (row.type) {
    case 'conv2d': return `${s.channels}, ${window()}`;
    case 'maxpool': case 'avgpool': return window();
    case 'dense': return `${s.features}`;
    case 'batchnorm': return `${s.channels}`;
    case 'dropout': return `${s.rate}`;
    default: return '';
  }
}
