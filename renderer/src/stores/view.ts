/** What the window shows, apart from the document: the workspace mode, the guide panel, dialogs, the guide's scene. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NetId } from '../../../core/nets/book-nets';
import type { ModeId } from '../modes/modes';

export const useViewStore = defineStore('view', () => {
  const mode = ref<ModeId>('lab');
  /** The guide docks beside the work; collapsed it leaves only its tab, so the work keeps the whole width. */
  const guideOpen = ref(true);
  const aboutOpen = ref(false);
  /** The guide scene last loaded, so its comparison with the book is shown. */
  const loadedScene = ref<string | null>(null);
  /** The guide's chapter on show (5.1 … 5.12). */
  const guideChapter = ref('5.1');
  /** A network the guide asked to open (5.5–5.12): the Network mode, or the LeNet training view, answers it. */
  const networkRequest = ref<{ net: NetId; side: number } | null>(null);
  /** Bumped by File › Import image: the input panel answers with its image picker. */
  const importImageRequests = ref(0);
  return { mode, guideOpen, aboutOpen, loadedScene, guideChapter, networkRequest, importImageRequests };
});
