/** What the window shows, apart from the document: the side panel's tab, dialogs, the guide's scene. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SceneId } from '../lab/scenes';

export type SideTab = 'guide' | 'training';

export const useViewStore = defineStore('view', () => {
  const sideTab = ref<SideTab>('guide');
  const aboutOpen = ref(false);
  /** The guide scene last loaded, so its comparison with the book is shown. */
  const loadedScene = ref<SceneId | null>(null);
  /** Bumped by File › Import image: the input panel answers with its image picker. */
  const importImageRequests = ref(0);
  return { sideTab, aboutOpen, loadedScene, importImageRequests };
});
