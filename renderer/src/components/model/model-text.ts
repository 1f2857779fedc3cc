/** How an opened model's shapes and fields read: (1, 8, 16, 16) as the book prints them, and a field's size. */
import type { ModelField } from '../../../../electron/contract/model-contract';
import { tupleText } from '../network/explorer-math';

export { tupleText };

/** "3×3, stride 1×1", that and the whole input where a path reads all of it, or the words for a node that is no map. */
export function fieldText(t: (key: string, values?: Record<string, unknown>) => string, field: ModelField | undefined): string {
  if (!field) return t('model.table.global');
  const local = t('model.table.fieldValue', { h: field.size[0], w: field.size[1], sh: field.stride[0], sw: field.stride[1] });
  // A global pooling reads the whole input: on its own output, and on every unit a gate after it reaches (squeeze-excitation).
  return field.whole ? t('model.table.fieldWhole', { local }) : local;
}
