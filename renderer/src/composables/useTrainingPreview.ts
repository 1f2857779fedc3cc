/**
 * X and Y as the next run would use them, for the data section: recomputed in the engine when the settings, the
 * drawing or layer 1 change; only the newest request's answer is shown.
 */
import { shallowRef, watch } from 'vue';
import type { MapData } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { trainingInput, trainingTarget } from '../training/training-data';
import { useLabStore } from '../stores/lab';

export function useTrainingPreview() {
  const lab = useLabStore();
  const x = shallowRef<MapData | null>(null);
  const y = shallowRef<MapData | null>(null);
  const error = shallowRef<string | null>(null);
  let latest = 0;

  watch(
    () => [lab.doc.training.settings, lab.doc.input, lab.doc.layers[0]] as const,
    async () => {
      const ticket = ++latest;
      const doc = lab.doc;
      const s = doc.training.settings;
      const input = trainingInput(doc, s);
      x.value = input;
      const result = await trainingTarget(api.forward, doc, s, input);
      if (ticket !== latest) return;
      y.value = result.ok ? result.value : null;
      error.value = result.ok ? null : result.error.message;
    },
    { immediate: true },
  );
  return { x, y, error };
}
