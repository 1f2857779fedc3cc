/**
 * The Dataset mode's state: where the four files are and whether they check out, the running download's progress,
 * and the last message. Every change goes through the main side; this store only mirrors its answers.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DatasetEvent, DatasetStatus } from '../../../electron/contract/contract';
import { api } from '../api/client';

export type DownloadProgress = Extract<DatasetEvent, { kind: 'progress' }>;
export type DatasetNotice = { kind: 'done' | 'cancelled' } | { kind: 'error' | 'failed'; message: string };

export const useDatasetStore = defineStore('dataset', () => {
  const status = ref<DatasetStatus | null>(null);
  const checking = ref(false);
  const progress = ref<DownloadProgress | null>(null);
  const downloading = ref(false);
  /** What the last action came to: a download's end, or a refusal with its message. */
  const notice = ref<DatasetNotice | null>(null);
  let listening = false;
  /** Only the newest request's answer is kept: a slow first check must not overwrite a folder chosen meanwhile. */
  let ticket = 0;

  function listen(): void {
    if (listening) return;
    listening = true;
    api.on('dataset', (event) => {
      if (event.kind === 'progress') {
        progress.value = event;
        return;
      }
      downloading.value = false;
      progress.value = null;
      notice.value = event.kind === 'error' ? { kind: 'failed', message: event.message } : { kind: event.kind };
      void refresh();
    });
  }

  async function refresh(): Promise<void> {
    listen();
    checking.value = true;
    const mine = ++ticket;
    const result = await api.datasetStatus({});
    if (mine !== ticket) return;
    checking.value = false;
    if (result.ok) {
      status.value = result.value;
      downloading.value = result.value.downloading;
    } else notice.value = { kind: 'error', message: result.error.message };
  }

  async function useDefault(): Promise<void> {
    const mine = ++ticket;
    const result = await api.datasetUseDefault({});
    if (mine !== ticket) return;
    if (result.ok) status.value = result.value;
    else notice.value = { kind: 'error', message: result.error.message };
  }

  /** In Electron the native dialog asks; the browser host takes the path the user typed. */
  async function chooseFolder(typedPath?: string): Promise<void> {
    checking.value = true;
    const mine = ++ticket;
    const result = await api.datasetChooseFolder(typedPath ? { typedPath } : {});
    if (mine !== ticket) return;
    checking.value = false;
    if (!result.ok) notice.value = { kind: 'error', message: result.error.message };
    else if (!result.value.cancelled) {
      status.value = result.value.status;
      notice.value = null;
    }
  }

  async function startDownload(): Promise<void> {
    listen();
    notice.value = null;
    const result = await api.datasetDownloadStart({});
    if (result.ok) downloading.value = true;
    else notice.value = { kind: 'error', message: result.error.message };
  }

  async function cancelDownload(discard: boolean): Promise<void> {
    const result = await api.datasetDownloadCancel({ discard });
    if (!result.ok) notice.value = { kind: 'error', message: result.error.message };
  }

  return { status, checking, progress, downloading, notice, refresh, useDefault, chooseFolder, startDownload, cancelDownload };
});
