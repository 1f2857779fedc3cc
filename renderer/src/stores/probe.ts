/**
 * What the user points at, and where it came from. A unit of any layer (hovered, or pinned with a click) gets its
 * window in the layer below, its receptive field in every earlier map and its effective receptive field (the
 * gradient) on the input, from the engine; an input cell lights up every cell of layer 1 that reads it.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ProbeResponse } from '../../../electron/contract/contract';
import { api } from '../api/client';
import { inputMap, toLayerSpec } from '../document/document';
import { touchedCells } from '../layer-math/touched-cells';
import type { OverlayBox } from '../maps/map-grid-types';
import { usePump } from '../composables/usePump';
import { useLabStore } from './lab';
import { useMapsStore } from './maps';

/** A unit of the output of layer `layer` (1-based). */
export interface Unit {
  layer: number;
  c: number;
  y: number;
  x: number;
}

const same = (a: Unit | null, b: Unit | null) =>
  !!a && !!b && a.layer === b.layer && a.c === b.c && a.y === b.y && a.x === b.x;

export const useProbeStore = defineStore('probe', () => {
  const lab = useLabStore();
  const maps = useMapsStore();
  const hovered = ref<Unit | null>(null);
  const pinned = ref<Unit | null>(null);
  const inputCell = ref<{ y: number; x: number } | null>(null);
  const result = shallowRef<{ unit: Unit; version: number; value: ProbeResponse } | null>(null);
  const active = computed(() => pinned.value ?? hovered.value);

  // One probe in flight; while it runs only the newest question waits, and it reads the unit and lab as they are then.
  const pump = usePump(async (): Promise<void> => {
    const unit = active.value;
    const version = lab.version;
    const doc = lab.doc;
    if (!unit || unit.layer > doc.layers.length) {
      result.value = null;
      return;
    }
    const answer = await api.probe({
      input: inputMap(doc.input),
      layers: doc.layers.map(toLayerSpec),
      layer: unit.layer - 1,
      unit: { c: unit.c, y: unit.y, x: unit.x },
    });
    if (answer.ok && same(unit, active.value)) result.value = { unit, version, value: answer.value };
  });
  watch([active, () => lab.doc.input, () => lab.doc.layers], () => pump.request());

  // A pin belongs to the lab it was made in: File › New or Open lets it go, and so does an edit that removes its cell,
  // rather than the pin waiting unseen and reattaching to whatever cell later takes that place.
  watch(
    () => lab.generation,
    () => {
      pinned.value = null;
      hovered.value = null;
      inputCell.value = null;
    },
  );
  watch(
    () => [lab.doc.layers.length, maps.outputs] as const,
    ([layers, outputs]) => {
      const unit = pinned.value;
      if (!unit) return;
      const shape = outputs[unit.layer - 1]?.shape;
      const gone = unit.layer > layers || (shape !== undefined && (unit.c >= shape[1] || unit.y >= shape[2] || unit.x >= shape[3]));
      if (gone) pinned.value = null;
    },
  );

  const current = computed(() => (result.value && same(result.value.unit, active.value) ? result.value : null));
  /** Layer 1's map size, the same value while it stays: the maps' outlines are not redone for every new map of it. */
  const firstSize = computed<[number, number] | null>((previous) => {
    const shape = maps.outputs[0]?.shape;
    if (!shape) return null;
    return previous && previous[0] === shape[2] && previous[1] === shape[3] ? previous : [shape[2], shape[3]];
  });

  /** Outlines for the map after layer `stage` (0 = the input), channel `channel`. */
  function boxesFor(stage: number, channel: number): OverlayBox[] {
    const boxes: OverlayBox[] = [];
    const unit = active.value;
    if (unit) {
      if (stage === unit.layer && channel === unit.c) {
        boxes.push({ top: unit.y, left: unit.x, bottom: unit.y, right: unit.x, kind: pinned.value ? 'pinned' : 'unit' });
      }
      const box = current.value?.value.boxes[stage];
      if (box && stage < unit.layer) boxes.push({ ...box, kind: stage === unit.layer - 1 ? 'window' : 'field' });
    }
    const size = stage === 1 && inputCell.value ? firstSize.value : null;
    if (inputCell.value && size && lab.doc.layers[0]) {
      for (const cell of touchedCells(lab.doc.layers[0], inputCell.value, size)) {
        boxes.push({ top: cell.y, left: cell.x, bottom: cell.y, right: cell.x, kind: 'touched' });
      }
    }
    return boxes;
  }

  const inputBoxes = computed(() => {
    const boxes = boxesFor(0, 0);
    const cell = inputCell.value;
    if (cell) boxes.push({ top: cell.y, left: cell.x, bottom: cell.y, right: cell.x, kind: 'unit' });
    return boxes;
  });
  const inputHeat = computed(() => current.value?.value.gradient.data ?? null);

  return {
    hovered,
    pinned,
    active,
    inputCell,
    current,
    boxesFor,
    inputBoxes,
    inputHeat,
    hover(unit: Unit | null) {
      if (!same(unit, hovered.value)) hovered.value = unit;
    },
    togglePin(unit: Unit) {
      pinned.value = same(unit, pinned.value) ? null : unit;
    },
    unpin: () => (pinned.value = null),
    hoverInput(cell: { y: number; x: number } | null) {
      if (cell?.y !== inputCell.value?.y || cell?.x !== inputCell.value?.x) inputCell.value = cell;
    },
  };
});
