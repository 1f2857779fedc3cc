/**
 * The lab document and its history. Every change goes through run(action, payload); a gesture (a brush stroke)
 * groups many runs into one undo step.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Action } from '../actions/action';
import type { LabDocument } from '../document/document';
import { defaultDocument } from '../guide/chapter-5-1';

const HISTORY_LIMIT = 200;

export const useLabStore = defineStore('lab', () => {
  const doc = shallowRef<LabDocument>(defaultDocument());
  /** Bumped on every change, so views can tell a new document from an old one cheaply. */
  const version = ref(0);
  /** Bumped when the lab is replaced by another (New, Open, a restored autosave): what pointed into the old one lets go. */
  const generation = ref(0);
  const past = shallowRef<LabDocument[]>([]);
  const future = shallowRef<LabDocument[]>([]);
  let gestureStart: LabDocument | null = null;

  function commit(next: LabDocument): void {
    doc.value = next;
    version.value++;
  }

  function remember(previous: LabDocument): void {
    past.value = [...past.value.slice(-(HISTORY_LIMIT - 1)), previous];
    future.value = [];
  }

  function run<P>(action: Action<P>, payload: P): void {
    const before = doc.value;
    const { doc: next, capture } = action.perform(before, payload);
    if (next === before) return;
    if (capture && !gestureStart) remember(before);
    commit(next);
  }

  function beginGesture(): void {
    gestureStart = doc.value;
  }

  function endGesture(): void {
    if (gestureStart && gestureStart !== doc.value) remember(gestureStart);
    gestureStart = null;
  }

  /**
   * Starts over on another document (a new lab, an opened file, a restored autosave) with an empty history: undo
   * never steps back into a different lab, whose unsaved changes the user was already asked about.
   */
  function reset(next: LabDocument): void {
    past.value = [];
    future.value = [];
    gestureStart = null;
    generation.value++;
    commit(next);
  }

  function undo(): void {
    const previous = past.value[past.value.length - 1];
    if (!previous) return;
    past.value = past.value.slice(0, -1);
    future.value = [doc.value, ...future.value];
    commit(previous);
  }

  function redo(): void {
    const next = future.value[0];
    if (!next) return;
    future.value = future.value.slice(1);
    past.value = [...past.value, doc.value];
    commit(next);
  }

  return {
    doc,
    version,
    generation,
    run,
    reset,
    beginGesture,
    endGesture,
    undo,
    redo,
    canUndo: computed(() => past.value.length > 0),
    canRedo: computed(() => future.value.length > 0),
  };
});
