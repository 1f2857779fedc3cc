/** A class's name in the user's language: Fashion-MNIST's names, or "Class n" for another IDX dataset. */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useDatasetStore } from '../stores/dataset';

export function useClassNames() {
  const { t } = useI18n();
  const dataset = useDatasetStore();
  // Until the status says otherwise, the data is assumed to be Fashion-MNIST (the usual case).
  const fashion = computed(() => dataset.status?.fashion ?? true);
  return (label: number): string => (fashion.value ? t(`dataset.classes.${label}`) : t('dataset.label', { n: label }));
}
