/**
 * Feature maps of the current document, kept in step with it. Requests are coalesced (usePump): while one forward
 * pass is in flight only the newest document waits, and a result is shown only if no newer one has been shown
 * already. A refused document keeps the previous maps on screen and says why. The host answers with the windows of the maps
 * that changed since the ones shown (map-patches.ts); an answer that does not fit them is dropped and every map
 * asked for again.
 */
import { defineStore } from 'pinia';
import { nextTick, ref, shallowRef, watch } from 'vue';
import type { MapData } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { inputMap, toLayerSpec, type LabDocument } from '../document/document';
import { takeAnswer, type HeldMaps } from '../maps/map-patches';
import { changedInputWindow } from '../../../electron/contract/core-exports';
import { inputTime, watchInput } from '../maps/input-clock';
import { usePump } from '../composables/usePump';
import { useLabStore } from './lab';

/** How long a pass runs before the status line says the maps are being computed. */
const SLOW_MS = 250;
/** The status line's latency changes at most this often: a number rewritten every frame would lay the page out every frame. */
const SHOWN_LATENCY_MS = 500;

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
  let latencyShownAt = Number.NEGATIVE_INFINITY;
  watchInput();

  /**
   * A document to send; `since` is when the oldest edit it stands for was handled (coalesced edits), `stroke` the
   * time stamp of that edit's input event.
   */
  type Job = { doc: LabDocument; version: number; since: number; stroke: number };
  let shownVersion = -1;
  /** The maps the host last answered and their state: its next answer patches them. */
  let held: HeldMaps | null = null;
  /** The input those maps were computed from (the document's own array: an edit makes a new one). */
  let heldInput: Float32Array | null = null;

  const pump = usePump(async (job: Job): Promise<void> => {
    slowTimer ??= setTimeout(() => (busy.value = true), SLOW_MS);
    const input = inputMap(job.doc.input);
    const since = held?.state ?? null;
    // A brush step sends the window of the input it changed since the input of the maps held, not the whole image.
    const inputWindow = since !== null && heldInput ? changedInputWindow(heldInput, input) : null;
    const layers = job.doc.layers.map(toLayerSpec);
    const result = await api.forwardWindows(inputWindow ? { inputWindow, layers, since } : { input, layers, since });
    const taken = result.ok ? takeAnswer(held, result.value) : null;
    if (typeof taken === 'string') {
      // Windows for maps this page does not hold (or that do not fit them): ask for all of them, unless newer waits.
      console.warn(`ConvLab: ${taken}; asking for every map again`);
      held = null;
      heldInput = null;
      pump.retry(job);
    } else if (taken) {
      held = taken;
      heldInput = input.data;
    }
    if (job.version > shownVersion && typeof taken !== 'string') {
      if (taken) {
        // A new list (what reads the maps reads them again) of the same maps where they were patched in place.
        outputs.value = [...taken.maps];
        shownDoc.value = job.doc;
        shownVersion = job.version;
        error.value = null;
        const { since, stroke } = job;
        // Two measures of the same repaint. edit-to-paint (as measured before): from the handled edit to the animation
        // frame that has the new maps on its canvases. stroke-to-frame: from the input event's own time stamp to the
        // end of that frame's rendering (a task posted in the frame runs once its style, layout, paint and commit are
        // done), which is when the compositor has the new pixels to show.
        void nextTick(() =>
          requestAnimationFrame(() => {
            const painted = performance.now();
            performance.measure('convlab:edit-to-paint', { start: since, end: painted });
            if (painted - latencyShownAt >= SHOWN_LATENCY_MS) {
              latencyShownAt = painted;
              lastMs.value = Math.round(painted - since);
            }
            const after = new MessageChannel();
            after.port1.onmessage = () => {
              performance.measure('convlab:stroke-to-frame', { start: stroke, end: performance.now() });
              after.port1.close();
            };
            after.port2.postMessage(null);
          }),
        );
      } else if (!result.ok) {
        error.value = result.error.message;
      }
    }
    if (pump.waiting() === null) {
      clearTimeout(slowTimer);
      slowTimer = undefined;
      busy.value = false;
    }
  });

  function request(): void {
    const waiting = pump.waiting();
    pump.request({ doc: lab.doc, version: lab.version, since: waiting?.since ?? performance.now(), stroke: waiting?.stroke ?? inputTime() });
  }

  // Only the input and the stack make maps: a change of training settings alone computes nothing.
  watch([() => lab.doc.input, () => lab.doc.layers], request, { immediate: true });

  return { outputs, shownDoc, error, busy, lastMs, refresh: request };
});
