/**
 * A layer kind's name in the user's language (network.types.<type>). A kind the messages do not name yet (one just
 * added to the layer table, or an imported operator) is shown by its type, so a new kind needs no edit here.
 */
import { useI18n } from 'vue-i18n';

type Translate = (key: string) => string;
type HasKey = (key: string) => boolean;

/** The namer for a given translation: the message when there is one, else the type itself. */
export const layerTypeNamer = (t: Translate, te: HasKey) => (type: string): string =>
  te(`network.types.${type}`) ? t(`network.types.${type}`) : type;

/** layerTypeNamer in a component, following the user's language. */
export function useLayerTypeName(): (type: string) => string {
  const { t, te } = useI18n();
  return layerTypeNamer(t, te);
}
