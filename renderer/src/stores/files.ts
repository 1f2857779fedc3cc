/**
 * The lab as a file: its name, whether it has unsaved changes, and New / Open / Save / Save As for both hosts (native
 * dialogs through main in Electron; upload and download in the browser host). A refused file changes nothing.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Chosen, OpenedLab, RecoveryInfo, Result } from '../../../electron/contract/contract';
import { labDisplayName, serializeLab, LAB_FILE_EXTENSION, MAX_LAB_FILE_BYTES } from '../../../electron/contract/lab-file';
import { api } from '../api/client';
import { i18n } from '../i18n';
import type { LabDocument } from '../document/document';
import { fromLab, toLab } from '../document/lab-codec';
import { defaultDocument } from '../guide/chapter-5-1';
import { chooseUpload, download } from '../api/web-files';
import { useLabStore } from './lab';
import { useNetTrainingStore } from './net-training';
import { useStatusStore } from './status';

export type UnsavedAnswer = 'save' | 'discard' | 'cancel';

export const useFilesStore = defineStore('files', () => {
  const lab = useLabStore();
  const status = useStatusStore();
  const t = i18n.global.t;
  const web = api.host === 'web';

  /** The file's display name; '' while the lab has never been saved or opened. */
  const name = ref('');
  /** The document as it was last opened or saved: any other document is unsaved work. */
  const savedDoc = shallowRef<LabDocument | null>(lab.doc);
  const dirty = computed(() => lab.doc !== savedDoc.value);
  const displayName = computed(() => name.value || t('files.untitled'));
  const recovery = ref<RecoveryInfo | null>(null);
  /** The open Save / Don't save / Cancel question, answered by the dialog. */
  const question = shallowRef<((answer: UnsavedAnswer) => void) | null>(null);
  /** The browser host's Save As question: the file's name, or null when cancelled. */
  const nameQuestion = shallowRef<((name: string | null) => void) | null>(null);
  const exportOpen = ref(false);
  const recentOpen = ref(false);

  /** The lab file's bytes: sent as they are, never as escaped text that could outgrow the host's message size. */
  const labText = (doc: LabDocument) => new TextEncoder().encode(serializeLab(toLab(doc)));

  function load(opened: OpenedLab, options: { unsaved?: boolean } = {}): void {
    const doc = fromLab(opened.lab);
    lab.reset(doc);
    if (doc.net) void useNetTrainingStore().open(doc.net);
    name.value = opened.name;
    savedDoc.value = options.unsaved ? null : doc;
    status.inform(t(options.unsaved ? 'files.restored' : 'files.opened', { name: displayName.value }));
  }

  /** Shows an open-file result: a refusal names the problem and leaves the open lab exactly as it was. */
  function settleOpen(result: Result<OpenedLab | Chosen<OpenedLab>>): void {
    if (!result.ok) return status.refuse(t('files.openRefused', { message: result.error.message }));
    const value = result.value;
    if ('cancelled' in value && value.cancelled) return;
    load(value);
  }

  /** true when there is nothing unsaved left to lose: saved, discarded by the user, or never changed. */
  async function settleUnsaved(): Promise<boolean> {
    if (!dirty.value) return true;
    const answer = await new Promise<UnsavedAnswer>((resolve) => (question.value = resolve));
    question.value = null;
    if (answer === 'cancel') return false;
    return answer === 'discard' || save();
  }

  async function save(): Promise<boolean> {
    return write(false);
  }
  async function saveAs(): Promise<boolean> {
    return write(true);
  }

  async function write(askWhere: boolean): Promise<boolean> {
    const doc = lab.doc;
    const text = labText(doc);
    let fileName = `${displayName.value}${LAB_FILE_EXTENSION}`;
    if (web) {
      // A download has no dialog of its own: Save As asks for the name in the page.
      if (askWhere) {
        const chosen = await new Promise<string | null>((resolve) => (nameQuestion.value = resolve));
        nameQuestion.value = null;
        if (!chosen) return false;
        fileName = chosen.endsWith(LAB_FILE_EXTENSION) ? chosen : `${chosen}${LAB_FILE_EXTENSION}`;
      }
      const result = await api.encodeLab({ text, fileName });
      if (!result.ok) return (status.refuse(t('files.saveFailed', { message: result.error.message })), false);
      download(result.value.text, result.value.fileName, 'application/json');
      name.value = labDisplayName(result.value.fileName);
      savedDoc.value = doc;
      status.inform(t('files.downloaded', { name: result.value.fileName }));
      return true;
    }
    const result = askWhere || !name.value ? await api.saveLabAs({ text, fileName }) : await api.saveLab({ text });
    if (!result.ok) return (status.refuse(t('files.saveFailed', { message: result.error.message })), false);
    if (result.value.cancelled) return false;
    name.value = result.value.name;
    savedDoc.value = doc;
    status.inform(t('files.saved', { name: result.value.name }));
    return true;
  }

  async function newLab(): Promise<void> {
    if (!(await settleUnsaved())) return;
    await api.newLab({});
    const doc = defaultDocument();
    lab.reset(doc);
    name.value = '';
    savedDoc.value = doc;
  }

  async function open(): Promise<void> {
    if (!(await settleUnsaved())) return;
    if (!web) return settleOpen(await api.openLab({}));
    const file = await chooseUpload(`${LAB_FILE_EXTENSION},.json,application/json`);
    if (!file) return;
    // Too large is said here, before a byte is read or sent; the host's gate checks the size again.
    if (file.size > MAX_LAB_FILE_BYTES) {
      const message = t('files.tooLarge', { name: file.name, size: (file.size / 1048576).toFixed(1), max: MAX_LAB_FILE_BYTES / 1048576 });
      return status.refuse(t('files.openRefused', { message }));
    }
    settleOpen(await api.importLab({ text: new Uint8Array(await file.arrayBuffer()), fileName: file.name }));
  }

  async function openRecent(id: string): Promise<void> {
    recentOpen.value = false;
    if (await settleUnsaved()) settleOpen(await api.openRecent({ id }));
  }

  /** A file the operating system asked us to open (file manager, second start). */
  async function openPending(): Promise<void> {
    if (await settleUnsaved()) settleOpen(await api.openPending({}));
  }

  async function restoreRecovery(): Promise<void> {
    recovery.value = null;
    const result = await api.takeRecovery({});
    if (!result.ok) status.refuse(t('files.openRefused', { message: result.error.message }));
    else if (!result.value.cancelled) load(result.value, { unsaved: true });
  }

  async function discardRecovery(): Promise<void> {
    recovery.value = null;
    await api.discardRecovery({});
  }

  /** The window is closing: once the user has decided about unsaved changes, main may close it. */
  async function close(): Promise<void> {
    if (!(await settleUnsaved())) return;
    await api.setDirty({ dirty: false });
    await api.closeWindow({});
  }

  return {
    name,
    displayName,
    dirty,
    recovery,
    question,
    nameQuestion,
    exportOpen,
    recentOpen,
    labText,
    newLab,
    open,
    openRecent,
    openPending,
    save,
    saveAs,
    restoreRecovery,
    discardRecovery,
    close,
  };
});
