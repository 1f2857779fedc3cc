/**
 * Checks a changed stack before it is applied: every setting in range and every layer's output at least 1×1.
 * A refused change leaves the document as it was and says which layer, which setting and why.
 */
import { useI18n } from 'vue-i18n';
import type { LabDocument, Layer } from '../document/document';
import { layerAxisSizes } from '../layer-math/output-size';

export function emptyLayer(doc: LabDocument): { index: number; axis: 0 | 1; detail: string } | null {
  let h = doc.input.height;
  let w = doc.input.width;
  for (let index = 0; index < doc.layers.length; index++) {
    const [ah, aw] = layerAxisSizes(doc.layers[index], h, w);
    for (const [axis, a] of [ah, aw].entries() as IterableIterator<[0 | 1, typeof ah]>) {
      if (a.out < 1) {
        const span = a.d * (a.k - 1) + 1;
        const detail = `${a.k}${a.d > 1 ? ` (${span} with dilation ${a.d})` : ''} > ${a.n} + 2·${a.p}`;
        return { index, axis, detail };
      }
    }
    h = ah.out;
    w = aw.out;
  }
  return null;
}

export function useStackGuard() {
  const { t } = useI18n();
  /** The message that refuses `doc`, or null when every layer has an output. */
  return (doc: LabDocument): string | null => {
    const empty = emptyLayer(doc);
    if (!empty) return null;
    const axisName = t(empty.axis === 0 ? 'layers.rows' : 'layers.cols');
    return t('errors.emptyOutput', {
      what: t('layers.title', { n: empty.index + 1, kind: kindName(t, doc.layers[empty.index]) }),
      detail: `${axisName}: ${empty.detail}`,
    });
  };
}

export function kindName(t: (key: string) => string, layer: Layer): string {
  if (layer.kind === 'conv') return t('layers.kinds.conv');
  if (layer.kind === 'pool') return t(`layers.kinds.pool.${layer.mode}`);
  return t(`layers.kinds.act.${layer.fn}`);
}
