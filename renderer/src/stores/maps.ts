/**
 * Feature maps of the current document, kept in step with it. Requests are coalesced: while one forward pass is in
 * flight only the newest document waits, and a result is shown only if no newer one has been shown already. A
 * refused document keeps the previous maps on screen and says why.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { MapData } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { inputMap, toLayerSpec, type LabDocument } from '../lab/document';
import { useLabStore } from './lab';

export const useMapsStore = defineStore('maps', () => {
  const lab = useLabStore();
  const outputs = shallowRef<MapData[]>([]);
  /** The document the shown maps were computed from (the layers they belong to). */
  const shownDoc = shallowRef<LabDocument | null>(null);
  const error = ref<string | null>(null);
  const busy = ref(false);
  const lastMs = ref(0);
  /** Milliseconds from an edit to its maps, most recent last (the latency script reads these). */
  const latencies: number[] = [];

  let inFlight = false;
  let waiting: { doc: LabDocument; version: number; at: number } | null = null;
  let shownVersion = -1;

  async function pump(): Promise<void> {
    if (inFlight || !waiting) return;
    const job = waiting;
    waiting = null;
    inFlight = true;
    busy.value = true;
    const result = await api.forward({ input: inputMap(job.doc.input), layers: job.doc.layers.map(toLayerSpec) });
    inFlight = false;
    if (job.version > shownVersion) {
      if (result.ok) {
        outputs.value = result.value.outputs;
        shownDoc.value = job.doc;
        shownVersion = job.version;
        error.value = null;
        lastMs.value = Math.round(performance.now() - job.at);
        latencies.push(performance.now() - job.at);
        if (latencies.length > 1000) latencies.shift();
      } else {
        error.value = result.error.message;
      }
    }
    busy.value = waiting !== null;
    void pump();
  }

  function request(): void {
    waiting = { doc: lab.doc, version: lab.version, at: performance.now() };
    void pump();
  }

  // Only the input and the stack make maps: a change of training settings alone computes nothing.
  watch([() => lab.doc.input, () => lab.doc.layers], request, { immediate: true });

  return { outputs, shownDoc, error, busy, lastMs, latencies, refresh: request };
});
