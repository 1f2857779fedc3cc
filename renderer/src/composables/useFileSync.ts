/**
 * Keeps the lab's file state in step with the world: the window title, main's unsaved flag (its close guard), the
 * autosave every few seconds while there are unsaved changes, and the requests that come from outside the page
 * (closing the window, a file opened from the file manager, work recovered after a crash).
 */
import { onBeforeUnmount, onMounted, watch, watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';
import { api } from '../api/client';
import { useFilesStore } from '../stores/files';
import { useLabStore } from '../stores/lab';
import { useStatusStore } from '../stores/status';
import type { Nothing, Result } from '../../../electron/contract/contract';

/** How long unsaved changes wait before they are autosaved (edits in between are saved together). */
export const AUTOSAVE_MS = 3000;

export function useFileSync(): void {
  const { t } = useI18n();
  const files = useFilesStore();
  const lab = useLabStore();
  const status = useStatusStore();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Another tab of the browser host may hold the unsaved state: say so, naming it, rather than fail silently.
  const told = (result: Result<Nothing>) => {
    if (!result.ok && result.error.code === 'busy') status.refuse(t('files.notAutosaved', { message: result.error.message }));
  };

  // A fresh, untouched lab is just "ConvLab"; anything else names itself, with a dot while unsaved.
  watchEffect(() => {
    if (!files.name && !files.dirty) document.title = t('files.appTitle');
    else document.title = t(files.dirty ? 'files.windowTitleEdited' : 'files.windowTitle', { name: files.displayName });
  });

  watch(
    () => files.dirty,
    (dirty) => {
      if (!dirty) clearTimeout((timer = undefined));
      void api.setDirty({ dirty }).then(told);
    },
    { immediate: true },
  );

  watch(
    () => lab.version,
    () => {
      if (!files.dirty || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (files.dirty) void api.autosave({ text: files.labText(lab.doc) }).then(told);
      }, AUTOSAVE_MS);
    },
  );

  // The browser's own question is the only one a closing tab may ask; the autosave keeps the work either way.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (files.dirty) event.preventDefault();
  };
  const stops: (() => void)[] = [];
  onMounted(async () => {
    stops.push(api.on('closeRequested', () => void files.close()));
    stops.push(api.on('openRequested', () => void files.openPending()));
    if (api.host === 'web') window.addEventListener('beforeunload', onBeforeUnload);
    const recovery = await api.recoveryInfo({});
    if (!recovery.ok) return;
    files.recovery = recovery.value.recovery;
    // Only a waiting file is worth asking about edits made meanwhile (a quick learner edits before this answer).
    if (recovery.value.pending) await files.openPending();
  });
  onBeforeUnmount(() => {
    for (const stop of stops) stop();
    window.removeEventListener('beforeunload', onBeforeUnload);
    clearTimeout(timer);
  });
}
