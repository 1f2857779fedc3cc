/**
 * The state of the mode that trains a network (LeNet, BN-LeNet, the scaled ResNet-18, NiN, GoogLeNet): the settings
 * being edited, the run the engine worker is training (progress, losses per batch, the book's lines per epoch, the filters, the last confusion matrix) and the latest prediction. The worker
 * does the work; this store mirrors its events and keeps nothing the page could compute wrongly.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { NetEpoch, NetFilters, NetPrediction, NetSettings, NetTrainingEvent } from '../../../electron/contract/contract';
import { BOOK_NET_SETTINGS, bookNetSettings } from '../../../electron/contract/net-contract';
import { decodeFloats, type SavedNet } from '../../../electron/contract/lab-file-v3';
import { api } from '../api/client';
import { i18n } from '../i18n';
import { keepTrainedNet } from '../actions/net-actions';
import { useLabStore } from './lab';

export type LenetPhase = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'diverged' | 'error' | 'loaded';

export const useNetTrainingStore = defineStore('netTraining', () => {
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
        filters.value = { conv1: event.conv1, conv2: event.conv2, batchNorm: event.batchNorm };
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
        if (event.kind === 'done' || event.kind === 'stopped') void keep(event.runId);
    }
  }

  function listen(): void {
    if (!listening) {
      api.on('netTraining', onEvent);
      listening = true;
    }
  }

  /** A finished or stopped run's net goes into the lab, so Save keeps it (the lab shows unsaved changes). */
  async function keep(id: number): Promise<void> {
    const result = await api.netTrainingSnapshot({ runId: id });
    if (!result.ok) {
      message.value = i18n.global.t('netTraining.controls.keepFailed', { message: result.error.message });
      return;
    }
    if (runId.value !== id) return;
    const lab = useLabStore();
    lab.run(keepTrainedNet, result.value);
  }

  /** A net kept in an opened lab: into the engine worker (checked there), its log, charts and filters shown again. */
  async function open(net: SavedNet): Promise<void> {
    listen();
    if (active() && runId.value !== null) await api.netTrainingControl({ runId: runId.value, command: 'stop' });
    runId.value = null;
    const result = await api.netTrainingLoad({ net });
    if (!result.ok) {
      phase.value = 'error';
      message.value = result.error.message;
      return;
    }
    settings.value = { ...net.settings, channels: [net.settings.channels[0], net.settings.channels[1]] };
    runId.value = result.value.runId;
    phase.value = 'loaded';
    message.value = null;
    progress.value = null;
    // A decimated series (every batchStride-th batch) is drawn as it was kept.
    losses.value = [...net.history.batchLosses];
    // The confusion matrix is not kept: the matrix shows again after the next run's epochs.
    epochs.value = net.history.epochs.map((e) => ({ ...e, confusion: [], examples: [], mostWrong: [] }));
    // Tensors are kept in model order: the first two 4-D weights are the first two convolutions'.
    const [conv1, conv2] = net.params.filter((p) => p.path.endsWith('.weight') && p.shape.length === 4);
    const values = (path: string) => Array.from(decodeFloats(net.params.find((p) => p.path === path)!.data));
    const gamma = net.params.find((p) => p.path.endsWith('.gamma'));
    const layer = gamma?.path.slice(0, -'.gamma'.length);
    filters.value = {
      conv1: { shape: [...conv1.shape], data: decodeFloats(conv1.data) },
      conv2: { shape: [...conv2.shape], data: decodeFloats(conv2.data) },
      batchNorm: layer === undefined ? undefined : { path: layer, gamma: values(`${layer}.gamma`), beta: values(`${layer}.beta`) },
    };
    frame.value++;
  }

  async function start(): Promise<void> {
    listen();
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
    const result = await api.netTrainingStart({ settings: plain });
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
    const result = await api.netTrainingControl({ runId: runId.value, command });
    if (!result.ok) message.value = result.error.message;
  }

  async function predict(image: { test: number } | { pixels: Float32Array<ArrayBuffer> }): Promise<NetPrediction | null> {
    if (runId.value === null) return null;
    const result = await api.netTrainingPredict({ runId: runId.value, image });
    return result.ok ? result.value : null;
  }

  const active = () => phase.value === 'starting' || phase.value === 'running' || phase.value === 'paused';
  const bookSettings = (net: NetSettings['net'] = settings.value.net) => (settings.value = bookNetSettings(net));

  return { settings, runId, phase, message, progress, losses, epochs, filters, frame, start, control, predict, active, bookSettings, open };
});
