/**
 * Feature maps of the current document, kept in step with it. Requests are coalesced: while one forward pass is in
 * flight only the newest document waits, and a result is shown only if no newer one has been shown already. A
 * refused document keeps the previous maps on screen and says why.
 */
import { defineStore } from 'pinia';
import { nextTick, ref, shallowRef, watch } from 'vue';
import type { MapData } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { inputMap, toLayerSpec, type LabDocument } from '../lab/document';
import { useLabStore } from './lab';

/** How long a pass runs before the status line says the maps are being computed. */
const SLOW_MS = 250;

export const useMapsStore = defineStore('maps', () => {
  const lab = useLabStore();
  const outputs = shallowRef<MapData[]>([]);
  /** The document the shown maps were computed from (the layers they belong to). */
  const shownDoc = shallowRef<LabDocument | null>(null);
  const error = ref<string | null>(null);
  /** A pass has been running for longer than a moment (a brush stroke's quick passes do not flicker the status). */
  const busy = ref(false);
  const lastMs = ref(0);
  let slowTimer: ReturnType<typeof setTimeout> | undefined;

  let inFlight = false;
  /** The newest document not yet sent; `since` is the time of the oldest edit it stands for (coalesced edits). */
  let waiting: { doc: LabDocument; version: number; since: number } | null = null;
  let shownVersion = -1;

  async function pump(): Promise<void> {
    if (inFlight || !waiting) return;
    const job = waiting;
    waiting = null;
    inFlight = true;
    slowTimer ??= setTimeout(() => (busy.value = true), SLOW_MS);
    const result = await api.forward({ input: inputMap(job.doc.input), layers: job.doc.layers.map(toLayerSpec) });
    inFlight = false;
    if (job.version > shownVersion) {
      if (result.ok) {
        outputs.value = result.value.outputs;
        shownDoc.value = job.doc;
        shownVersion = job.version;
        error.value = null;
        const since = job.since;
        // Measured once the maps have repainted: after Vue's update and the canvases' animation frame.
        void nextTick(() =>
          requestAnimationFrame(() => {
            const ms = performance.now() - since;
            lastMs.value = Math.round(ms);
            performance.measure('convlab:edit-to-paint', { start: since, duration: ms });
          }),
        );
      } else {
        error.value = result.error.message;
      }
    }
    if (waiting === null) {
      clearTimeout(slowTimer);
      slowTimer = undefined;
      busy.value = false;
    }
    void pump();
  }

  function request(): void {
    waiting = { doc: lab.doc, version: lab.version, since: waiting?.since ?? performance.now() };
    void pump();
  }

  // Only the input and the stack make maps: a change of training settings alone computes nothing.
  watch([() => lab.doc.input, () => lab.doc.layers], request, { immediate: true });

  return { outputs, shownDoc, error, busy, lastMs, refresh: request };
});
