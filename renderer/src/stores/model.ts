/**
 * An opened ONNX model in the Network mode: opening it (menu, dialog or a dropped file, its size checked before its
 * bytes are read), how images become its input (remembered per model in the settings), its class names, the forward
 * pass with the top classes, one node's maps at a time, and a unit's probe. Each answer is applied only if nothing
 * newer was asked meanwhile.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ModelForwardResponse, ModelProbeResponse, ModelTensorOut, OpenedModel, Result } from '../../../electron/contract/contract';
import { MAX_MODEL_REQUEST_BYTES } from '../../../electron/contract/model-contract';
import {
  IMAGENET_PREPROCESSING, MAX_REMEMBERED_MODELS, PLAIN_PREPROCESSING, type ModelPreprocessing,
} from '../../../electron/contract/model-preprocessing';
import { api } from '../api/client';
import { chooseUpload } from '../api/web-files';
import { i18n } from '../i18n';
import type { InputImage } from '../document/document';
import { importImageFile } from '../composables/useImageImport';
import { inputLayout, parseClassNames, preprocess } from '../model/preprocess';
import { useLabStore } from './lab';
import { useSettingsStore } from './settings';
import { useStatusStore } from './status';
import { useViewStore } from './view';

/** The longest side an image is decoded at before it is fitted to the model's input. */
const DECODE_SIDE = 512;
/** Largest class-name file read (ImageNet's 1000 names are ~20 kB). */
const MAX_CLASS_FILE_BYTES = 4 * 1024 * 1024;
/** Channels of a node's output drawn at once. */
export const MAPS_SHOWN = 64;

const megabytes = (n: number): string => (n / (1024 * 1024)).toFixed(1);

export const useModelStore = defineStore('model', () => {
  const status = useStatusStore();
  const settings = useSettingsStore();
  const t = i18n.global.t;

  const opened = shallowRef<OpenedModel | null>(null);
  /** The Network mode shows the opened model rather than a book network. */
  const shown = ref(false);
  const opening = ref(false);
  const refusal = ref<string | null>(null);
  const expanded = ref<Set<string>>(new Set());
  const classNames = ref<string[]>([]);
  /** The image the user gave (0…1, grey or RGB), or null for the lab's drawing. */
  const image = shallowRef<InputImage | null>(null);
  const imageName = ref('');
  const pass = shallowRef<ModelForwardResponse | null>(null);
  /** The tensor the shown pass read: probes read the same one. */
  const passInput = shallowRef<{ shape: number[]; data: Float32Array } | null>(null);
  const running = ref(false);
  const passError = ref<string | null>(null);
  const viewedNode = ref<string | null>(null);
  const maps = shallowRef<ModelTensorOut | null>(null);
  /** The first channel of the node's output that `maps` holds. */
  const mapOffset = ref(0);
  const probe = shallowRef<ModelProbeResponse | null>(null);
  const probeError = ref<string | null>(null);
  let ticket = 0;

  const layout = computed(() => (opened.value ? inputLayout(opened.value.inputs[0]?.shape ?? []) : null));
  const preprocessing = computed<ModelPreprocessing>(() => {
    const model = opened.value;
    const remembered = model ? settings.settings.modelPreprocessing?.[model.name] : undefined;
    if (remembered) return remembered;
    const l = layout.value;
    return l && l.channels === 3 && l.height >= 64 ? IMAGENET_PREPROCESSING : { ...PLAIN_PREPROCESSING, colour: l?.channels === 1 ? 'grey' : 'rgb' };
  });

  function settle(result: Result<OpenedModel | ({ cancelled: false } & OpenedModel) | { cancelled: true }>): void {
    opening.value = false;
    if (!result.ok) {
      refusal.value = result.error.message;
      status.refuse(t('model.open.refused', { message: result.error.message }));
      return;
    }
    if ('cancelled' in result.value && result.value.cancelled) return;
    const model = result.value as OpenedModel;
    const previous = opened.value;
    if (previous) void api.modelClose({ modelId: previous.modelId });
    // The pass of the model before, if one is under way, is dropped: its Run button is freed with it.
    ticket++;
    running.value = false;
    opened.value = model;
    shown.value = true;
    refusal.value = null;
    expanded.value = new Set();
    pass.value = null;
    passInput.value = null;
    passError.value = null;
    viewedNode.value = null;
    maps.value = null;
    mapOffset.value = 0;
    probe.value = null;
    probeError.value = null;
    classNames.value = [];
    useViewStore().mode = 'network';
    status.inform(t('model.open.opened', { name: model.name, nodes: model.rows.length }));
  }

  /** File › Open model…: the host's dialog in Electron (read in main), an upload in the browser host. */
  async function open(): Promise<void> {
    if (api.host === 'web') {
      const file = await chooseUpload('.onnx');
      if (file) await openFile(file);
      return;
    }
    opening.value = true;
    settle(await api.modelOpen({}));
  }

  /** A dropped or uploaded file: refused by its size before its bytes are read. */
  async function openFile(file: File): Promise<void> {
    if (file.size > MAX_MODEL_REQUEST_BYTES) {
      const message = t('model.open.tooLarge', { name: file.name, size: megabytes(file.size), limit: megabytes(MAX_MODEL_REQUEST_BYTES) });
      refusal.value = message;
      status.refuse(message);
      return;
    }
    opening.value = true;
    const bytes = new Uint8Array(await file.arrayBuffer());
    settle(await api.modelOpenBytes({ name: file.name, bytes }));
  }

  function toggle(key: string): void {
    const next = new Set(expanded.value);
    if (!next.delete(key)) next.add(key);
    expanded.value = next;
  }

  /** Changes how images become this model's input, and remembers it for the next time the model is opened. */
  async function setPreprocessing(patch: Partial<ModelPreprocessing>): Promise<void> {
    const model = opened.value;
    if (!model) return;
    const next = { ...preprocessing.value, ...patch };
    const others = Object.entries(settings.settings.modelPreprocessing ?? {}).filter(([name]) => name !== model.name);
    const kept = others.slice(Math.max(0, others.length - (MAX_REMEMBERED_MODELS - 1)));
    await settings.change({ modelPreprocessing: Object.fromEntries([...kept, [model.name, next]]) });
    if (pass.value) await run();
  }

  async function loadClassNames(file: File): Promise<void> {
    if (file.size > MAX_CLASS_FILE_BYTES) return status.refuse(t('model.classes.tooLarge', { name: file.name, limit: megabytes(MAX_CLASS_FILE_BYTES) }));
    classNames.value = parseClassNames(await file.text());
    status.inform(t('model.classes.loaded', { count: classNames.value.length }));
  }

  async function useImageFile(file: File): Promise<void> {
    try {
      image.value = await importImageFile(file, DECODE_SIDE, 'rgb');
      imageName.value = file.name;
    } catch (error) {
      status.refuse(t('model.image.refused', { name: file.name, message: (error as Error).message }));
      return;
    }
    await run();
  }

  async function useLabDrawing(): Promise<void> {
    image.value = null;
    imageName.value = '';
    await run();
  }

  /** The model's input for the chosen image (or the lab's drawing), or null when its input is not an image. */
  function inputTensor(): { shape: number[]; data: Float32Array } | null {
    const model = opened.value, l = layout.value;
    if (!model || !l) return null;
    const source = image.value ?? useLabStore().doc.input;
    return { shape: model.inputs[0].shape, data: preprocess(source, l, preprocessing.value) };
  }

  async function run(): Promise<void> {
    const model = opened.value;
    if (!model) return;
    const input = inputTensor();
    if (!input) {
      passError.value = t('model.run.notImage', { shape: model.inputs[0]?.shape.join('×') ?? '' });
      return;
    }
    const mine = ++ticket;
    running.value = true;
    const answer = await api.modelForward({ modelId: model.modelId, input, topK: 5 });
    if (mine !== ticket) return;
    running.value = false;
    if (!answer.ok) {
      passError.value = answer.error.message;
      return;
    }
    passError.value = null;
    pass.value = answer.value;
    passInput.value = input;
    probe.value = null;
    if (viewedNode.value) await viewNode(viewedNode.value, mapOffset.value);
  }

  /**
   * One node's maps from the last pass, MAPS_SHOWN channels from `offset` (fetched on demand: a large model's maps
   * stay in the engine; a vector comes whole).
   */
  async function viewNode(node: string, offset = 0): Promise<void> {
    const model = opened.value;
    viewedNode.value = node;
    if (!model || !pass.value) return;
    const mine = ticket;
    const shape = model.rows.find((r) => r.name === node)?.shape ?? [];
    const from = shape.length >= 3 ? Math.max(0, Math.min(offset, shape[1] - 1)) : 0;
    const count = shape.length >= 3 ? { count: Math.min(MAPS_SHOWN, shape[1] - from) } : {};
    const answer = await api.modelMaps({ modelId: model.modelId, node, offset: from, ...count });
    if (mine !== ticket || viewedNode.value !== node) return;
    if (!answer.ok) return status.refuse(answer.error.message);
    maps.value = answer.value;
    mapOffset.value = from;
    if (probe.value?.node !== node) probe.value = null;
  }

  /** The unit's window, its boxes in every earlier node and the input, and its gradient heat on the input. */
  async function probeUnit(node: string, unit: number[]): Promise<void> {
    const model = opened.value, input = passInput.value;
    if (!model || !input) return;
    const mine = ticket;
    const answer = await api.modelProbe({ modelId: model.modelId, input, node, unit });
    if (mine !== ticket) return;
    probeError.value = answer.ok ? null : answer.error.message;
    probe.value = answer.ok ? answer.value : null;
  }

  return {
    opened, shown, opening, refusal, expanded, classNames, image, imageName, pass, passInput, running, passError, viewedNode, maps, mapOffset, probe, probeError,
    layout, preprocessing,
    open, openFile, toggle, setPreprocessing, loadClassNames, useImageFile, useLabDrawing, run, viewNode, probeUnit,
  };
});
