/** What the window shows, apart from the document: the workspace mode, the guide panel, dialogs, the guide's scene. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SceneId } from '../lab/scenes';
import type { ModeId } from '../modes/modes';

export const useViewStore = defineStore('view', () => {
  const mode = ref<ModeId>('lab');
  /** The guide docks beside the work; collapsed it leaves only its tab, so the work keeps the whole width. */
  const guideOpen = ref(true);
  const aboutOpen = ref(false);
  /** The guide scene last loaded, so its comparison with the book is shown. */
  const loadedScene = ref<SceneId | null>(null);
  /** Bumped by File › Import image: the input panel answers with its image picker. */
  const importImageRequests = ref(0);
  return { mode, guideOpen, aboutOpen, loadedScene, importImageRequests };
});
