/** What the window shows, apart from the document: the workspace mode, the guide panel, dialogs, the guide's scene. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ModeId } from '../modes/mode-ids';

export const useViewStore = defineStore('view', () => {
  const mode = ref<ModeId>('lab');
  /**
   * The guide docks beside the work; collapsed it leaves only its button, so the work keeps the whole width. It
   * starts docked only where the window has room for it and a full-size lab (laptops start with it collapsed).
   */
  const guideOpen = ref(window.innerWidth >= 1400);
  const aboutOpen = ref(false);
  /** The guide scene last loaded, so its comparison with the book is shown. */
  const loadedScene = ref<string | null>(null);
  /** The guide's chapter on show (5.1 … 5.12). */
  const guideChapter = ref('5.1');
  /** The layer whose settings the lab's inspector shows; null means the first layer. */
  const selectedLayer = ref<string | null>(null);
  /** The sliding-window animation: how many output cells of which layer are shown (null: all of every layer). */
  const reveal = ref<{ layerId: string; count: number } | null>(null);
  /** Bumped by File › Import image: the input panel answers with its image picker. */
  const importImageRequests = ref(0);
  /** The lab pipeline's layout as on screen (cell size, channel columns, width), for File › Export › view. */
  const pipelineFit = ref<{ cell: number; columns: number[]; width: number } | null>(null);
  /** A file dropped on the input map, for the input's tools to import at their chosen resolution. */
  const droppedFile = ref<File | null>(null);
  return { pipelineFit, droppedFile, mode, guideOpen, aboutOpen, loadedScene, guideChapter, importImageRequests, selectedLayer, reveal };
});
