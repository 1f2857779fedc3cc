/**
 * The LeNet mode's state: the settings being edited, the run the engine worker is training (progress, losses per
 * batch, the book's lines per epoch, the filters, the last confusion matrix) and the latest prediction. The worker
 * does the work; this store mirrors its events and keeps nothing the page could compute wrongly.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { NetEpoch, NetFilters, NetPrediction, NetSettings, NetTrainingEvent } from '../../../electron/contract/contract';
import { BOOK_NET_SETTINGS } from '../../../electron/contract/net-contract';
import { api } from '../api/client';

export type LenetPhase = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'diverged' | 'error';

export const useLenetStore = defineStore('lenet', () => {
  const settings = ref<NetSettings>(structuredClone(BOOK_NET_SETTINGS));
  const runId = ref<number | null>(null);
  const phase = ref<LenetPhase>('idle');
  const message = ref<string | null>(null);
  const progress = ref<Extract<NetTrainingEvent, { kind: 'batch' }> | null>(null);
  /** Loss of every batch so far, in order (235 an epoch with the book's settings). */
  const losses = shallowRef<number[]>([]);
  const epochs = ref<NetEpoch[]>([]);
  const filters = shallowRef<NetFilters | null>(null);
  /** Bumped on each batch, so charts redraw at most once a frame whatever the rate. */
  const frame = ref(0);
  let listening = false;

  function onEvent(event: NetTrainingEvent): void {
    if (event.runId !== runId.value) return;
    switch (event.kind) {
      case 'batch':
        progress.value = event;
        losses.value.push(event.loss);
        frame.value++;
        break;
      case 'epoch':
        epochs.value.push({ ...event });
        break;
      case 'filters':
        filters.value = { conv1: event.conv1, conv2: event.conv2 };
        break;
      case 'paused':
        phase.value = 'paused';
        break;
      case 'resumed':
        phase.value = 'running';
        break;
      default:
        phase.value = event.kind;
        message.value = event.message ?? null;
    }
  }

  async function start(): Promise<void> {
    if (!listening) {
      api.on('netTraining', onEvent);
      listening = true;
    }
    phase.value = 'starting';
    message.value = null;
    progress.value = null;
    losses.value = [];
    epochs.value = [];
    filters.value = null;
    frame.value++;
    runId.value = null;
    // A plain copy: the reactive proxy itself cannot be cloned into a message.
    const s = settings.value;
    const plain: NetSettings = { ...s, channels: [s.channels[0], s.channels[1]] };
    const result = await api.netTrainStart({ settings: plain });
    if (!result.ok) {
      phase.value = 'error';
      message.value = result.error.message;
      return;
    }
    runId.value = result.value.runId;
    phase.value = 'running';
  }

  async function control(command: 'pause' | 'resume' | 'stop'): Promise<void> {
    if (runId.value === null) return;
    const result = await api.netTrainControl({ runId: runId.value, command });
    if (!result.ok) message.value = result.error.message;
  }

  async function predict(image: { test: number } | { pixels: Float32Array<ArrayBuffer> }): Promise<NetPrediction | null> {
    if (runId.value === null) return null;
    const result = await api.netPredict({ runId: runId.value, image });
    return result.ok ? result.value : null;
  }

  const active = () => phase.value === 'starting' || phase.value === 'running' || phase.value === 'paused';
  const bookSettings = () => (settings.value = structuredClone(BOOK_NET_SETTINGS));

  return { settings, runId, phase, message, progress, losses, epochs, filters, frame, start, control, predict, active, bookSettings };
});
