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
