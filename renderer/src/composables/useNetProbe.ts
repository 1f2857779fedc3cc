/**
 * The lab's probe on a trained net's maps: a unit pointed at (hover, or keyboard focus) or pinned (click, Enter)
 * gets its window in the block below, its receptive field in every earlier block and the image, and its gradient on
 * the image (the effective receptive field), all asked of the engine worker on the net as it stands. One request
 * is in flight at a time; while it runs only the newest unit waits (usePump).
 */
import { computed, ref, shallowRef, watch } from 'vue';
import type { NetPrediction, NetUnitGradient } from '../../../electron/contract/contract';
import { api } from '../api/client';
import type { CellPointer, OverlayBox } from '../maps/map-grid-types';
import { usePump } from './usePump';
import { engineUnit, heatExtent, isMap, netBlocks, probeOutlines, type BlockUnit } from '../maps/net-blocks';

const same = (a: BlockUnit | null, b: BlockUnit | null) => !!a && !!b && a.block === b.block && a.c === b.c && a.y === b.y && a.x === b.x;

export function useNetProbe(prediction: () => NetPrediction | null, runId: () => number | null) {
  const hovered = ref<BlockUnit | null>(null);
  const pinned = ref<BlockUnit | null>(null);
  const active = computed(() => pinned.value ?? hovered.value);
  const answer = shallowRef<{ unit: BlockUnit; value: NetUnitGradient } | null>(null);
  const refusal = ref<string | null>(null);
  const blocks = computed(() => {
    const p = prediction();
    return p ? netBlocks(p.layers) : [];
  });
  const types = computed(() => prediction()?.layers.slice(1).map((l) => l.type) ?? []);

  const pump = usePump(async (): Promise<void> => {
    const unit = active.value;
    const p = prediction();
    const id = runId();
    if (!unit || !p || id === null || unit.block === 0 || unit.block >= blocks.value.length) return;
    const result = await api.netTrainingUnitGradient({
      runId: id,
      // The image the maps came from, whether a test image or a drawing: the engine reads exactly what is shown.
      image: { pixels: Float32Array.from(p.layers[0].data) },
      layer: String(blocks.value[unit.block].index),
      unit: engineUnit(blocks.value, unit),
    });
    if (same(unit, active.value)) {
      if (result.ok) {
        answer.value = { unit, value: result.value };
        refusal.value = null;
      } else refusal.value = result.error.message;
    }
  });
  // Asked again as the net learns (a new prediction), so the heat follows the weights.
  watch([active, prediction], () => pump.request());
  // A pin whose unit no longer exists (other settings, other shapes) lets go rather than land on another unit.
  watch(blocks, (now) => {
    const u = pinned.value;
    if (!u) return;
    const b = now[u.block];
    const fits = b && (isMap(b) ? u.c < b.shape[0] && u.y < b.shape[1] && u.x < b.shape[2] : u.x < b.shape[0]);
    if (!fits) pinned.value = null;
  });

  const current = computed(() => (answer.value && same(answer.value.unit, active.value) ? answer.value.value : null));

  /** The outlines on block `at`, channel `channel` (the image is block 0). */
  function outlines(at: number, channel: number): OverlayBox[] {
    const unit = active.value;
    if (!unit) return [];
    return probeOutlines(blocks.value, types.value, unit, same(unit, pinned.value), current.value?.boxes ?? null, at, channel);
  }
  const heat = computed(() => current.value?.gradient.data ?? null);
  const extent = computed(() => (current.value ? heatExtent(current.value.gradient.data, current.value.gradient.shape[3]) : null));
  const field = computed(() => current.value?.boxes[0] ?? null);

  function hover(unit: BlockUnit | null): void {
    if (!same(unit, hovered.value)) hovered.value = unit;
  }
  function togglePin(unit: BlockUnit): void {
    pinned.value = same(unit, pinned.value) ? null : unit;
  }
  function onPointer(block: number, c: number, pointer: CellPointer): void {
    const unit = { block, c, y: pointer.y, x: pointer.x };
    if (pointer.type === 'leave') hover(null);
    else if (pointer.type === 'down') togglePin(unit);
    else hover(unit);
  }
  function onKeyboard(block: number, c: number, key: { type: 'point' | 'pin'; y: number; x: number }): void {
    const unit = { block, c, y: key.y, x: key.x };
    if (key.type === 'pin') togglePin(unit);
    else hover(unit);
  }

  return { blocks, active, pinned, current, refusal, outlines, heat, extent, field, onPointer, onKeyboard, unpin: () => (pinned.value = null) };
}
