/** The drawing tool's settings, shared by the input's tools (in the inspector) and the input map (in the pipeline). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BrushSettings } from '../tools/brush';

export const useDrawStore = defineStore('draw', () => {
  const brush = ref<BrushSettings>({ mode: 'brush', size: 1, value: 1 });
  return { brush };
});
