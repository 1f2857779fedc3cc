/** Applies a change to one layer's settings only if the whole stack still has an output; otherwise says why. */
import { useI18n } from 'vue-i18n';
import { setLayerSettings } from '../actions/document-actions';
import { useLabStore } from '../stores/lab';
import { useStatusStore } from '../stores/status';
import { useStackGuard } from './useStackGuard';
import type { Pair } from '../../../electron/contract/contract';

type Settings = Parameters<typeof setLayerSettings.perform>[1]['settings'];

export function useLayerEdit() {
  const lab = useLabStore();
  const status = useStatusStore();
  const guard = useStackGuard();
  const { t } = useI18n();

  /** Returns whether the change was applied; `revert` puts a refused field back. */
  function apply(layerId: string, settings: Settings, revert?: () => void): boolean {
    const next = setLayerSettings.perform(lab.doc, { layerId, settings }).doc;
    const refusal = guard(next);
    if (refusal) {
      status.refuse(refusal);
      revert?.();
      return false;
    }
    status.clear();
    lab.run(setLayerSettings, { layerId, settings });
    return true;
  }

  /** A per-axis setting, checked against its range first. */
  function applyPair(layerId: string, key: string, label: string, value: Pair, min: number, max: number, revert: () => void): void {
    if (!value.every((v) => Number.isInteger(v) && v >= min && v <= max)) {
      status.refuse(t('errors.range', { what: label, min, max }));
      revert();
      return;
    }
    apply(layerId, { [key]: value } as Settings, revert);
  }

  return { apply, applyPair };
}
