/**
 * The contract: every call the page can make, with its request schema and response type, and every event the
 * main side can push. main.ts and the browser host validate each request against these schemas before routing.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import type { WindowsAnswer } from '../../core/lab/incremental-stack';
import {
  DirtyRequest,
  ExportFileRequest,
  LabTextRequest,
  NamedLabRequest,
  OpenRecentRequest,
  type Chosen,
  type ImageFile,
  type Nothing,
  type OpenedLab,
  type RecentFile,
  type RecoveryInfo,
  type SavedFile,
} from './files-contract';

import {
  DatasetCancelRequest,
  DatasetFolderRequest,
  DatasetImageRequest,
  DatasetImagesRequest,
  type DatasetEvent,
  type DatasetImages,
  type DatasetStatus,
} from './dataset-contract';

import { NetworkForwardRequest, NetworkInfoRequest, type NetworkForwardResponse, type NetworkView } from './network-contract';

import { NetPredictRequest, NetSnapshotRequest, NetTrainControlRequest, NetTrainStartRequest, type NetPrediction, type NetTrainingEvent } from './net-contract';
import { NetLoadRequest, type SavedNet } from './lab-file-v3';
import { NetUnitGradientRequest, type NetUnitGradient } from './net-probe-contract';

export type { NetEpoch, NetFilters, NetPrediction, NetSettings, NetTrainingEvent } from './net-contract';
export type { SavedNet } from './lab-file-v3';
export type { NetUnitGradient, NetWrongImage } from './net-probe-contract';
export type { DatasetEvent, DatasetFileStatus, DatasetImages, DatasetSplit, DatasetStatus } from './dataset-contract';
export type { Chosen, ExportKind, ImageFile, Nothing, OpenedLab, RecentFile, RecoveryInfo, SavedFile } from './files-contract';

// ---------- results and errors ----------

export type ErrorCode =
  | 'invalid-request'
  | 'unknown-call'
  | 'engine'
  | 'io'
  | 'bad-file'
  | 'cancelled'
  | 'busy'
  | 'internal';
export interface ApiError {
  code: ErrorCode;
  message: string;
}
/** No exception crosses a process boundary: every call answers one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------- building blocks ----------

const int = (min: number, max: number, what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max}`),
  );
const pairOf = (min: number, max: number, what: string) =>
  v.tuple([int(min, max, `${what} (height)`), int(min, max, `${what} (width)`)]);

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
/** Float32 storage, refused when it holds NaN or Infinity (the message names the index). */
const floats = (what: string) =>
  v.pipe(
    v.custom<Float32Array>((value) => value instanceof Float32Array, `${what} must be a Float32Array`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const at = firstNonFinite(dataset.value);
      if (at >= 0) addIssue({ message: `${what} contains ${dataset.value[at]} at index ${at}` });
    }),
  );

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A tensor: its shape checked by `shape`, its data finite and exactly as long as the shape says. */
function tensorSchema<S extends v.GenericSchema<unknown, readonly number[]>>(shape: S, what: string) {
  return v.pipe(
    v.object({ shape, data: floats(what) }),
    v.check((t) => (t.data as Float32Array).length === product(t.shape as readonly number[]), `${what}: data length does not match its shape`),
  );
}

/** One image or feature map, NCHW with N = 1, of at most LIMITS.maxInputValues values. */
export const MapSchema = v.pipe(
  tensorSchema(
    v.tuple([
      v.literal(1, 'batch must be 1'),
      int(1, LIMITS.maxChannels, 'channels'),
      int(1, LIMITS.maxImageSide, 'height'),
      int(1, LIMITS.maxImageSide, 'width'),
    ]),
    'image',
  ),
  v.check(
    (map) => product(map.shape) <= LIMITS.maxInputValues,
    (issue) => `image: ${(issue.input as { shape: number[] }).shape.slice(1).join('×')} is ${product((issue.input as { shape: number[] }).shape)} values; an input holds at most ${LIMITS.maxInputValues} (e.g. 16×512×512)`,
  ),
);

const ConvLayerSchema = v.pipe(
  v.object({
    kind: v.literal('conv'),
    weight: tensorSchema(
      v.tuple([
        int(1, LIMITS.maxChannels, 'output channels'),
        int(1, LIMITS.maxChannels, 'input channels'),
        int(1, LIMITS.maxKernelSide, 'kernel height'),
        int(1, LIMITS.maxKernelSide, 'kernel width'),
      ]),
      'kernel',
    ),
    bias: floats('bias'),
    stride: pairOf(1, LIMITS.maxStride, 'stride'),
    padding: pairOf(0, LIMITS.maxPadding, 'padding'),
    dilation: pairOf(1, LIMITS.maxDilation, 'dilation'),
    flip: v.boolean(),
  }),
  v.check((l) => l.bias.length === l.weight.shape[0], 'bias needs one value per output channel'),
);
const PoolLayerSchema = v.object({
  kind: v.literal('pool'),
  mode: v.picklist(['max', 'avg'], 'pooling mode must be "max" or "avg"'),
  kernel: pairOf(1, LIMITS.maxKernelSide, 'pooling window'),
  stride: pairOf(1, LIMITS.maxStride, 'stride'),
  padding: pairOf(0, LIMITS.maxPadding, 'padding'),
  countIncludePad: v.boolean(),
});
const ActLayerSchema = v.object({
  kind: v.literal('act'),
  fn: v.picklist(['relu', 'sigmoid', 'tanh'], 'activation must be relu, sigmoid or tanh'),
});
export const LayerSchema = v.variant('kind', [ConvLayerSchema, PoolLayerSchema, ActLayerSchema], 'unknown layer kind');
export const StackSchema = v.pipe(
  v.array(LayerSchema),
  v.maxLength(LIMITS.maxLayers, `a stack holds at most ${LIMITS.maxLayers} layers`),
);

export const ForwardRequest = v.object({ input: MapSchema, layers: StackSchema });
/**
 * The part of an input that changed since the input of state `since` (core/lab/map-windows.ts): a brush step sends
 * this instead of the whole image. It must lie inside the input's shape and hold exactly its channels × rows × columns.
 */
const InputWindowSchema = v.pipe(
  v.object({
    shape: v.tuple([
      v.literal(1, 'batch must be 1'),
      int(1, LIMITS.maxChannels, 'channels'),
      int(1, LIMITS.maxImageSide, 'height'),
      int(1, LIMITS.maxImageSide, 'width'),
    ]),
    y: int(0, LIMITS.maxImageSide - 1, 'input window row'),
    x: int(0, LIMITS.maxImageSide - 1, 'input window column'),
    height: int(1, LIMITS.maxImageSide, 'input window height'),
    width: int(1, LIMITS.maxImageSide, 'input window width'),
    data: floats('input window'),
  }),
  v.check((w) => w.y + w.height <= w.shape[2] && w.x + w.width <= w.shape[3], 'input window: it reaches outside the input'),
  v.check((w) => w.data.length === w.shape[1] * w.height * w.width, 'input window: data length does not match its channels × height × width'),
);
/**
 * A forward pass for a page that keeps its last maps: `since` names them (the last answer's state; null: none). The
 * input comes whole (`input`) or, when `since` is given, as the window of it that changed (`inputWindow`).
 */
export const ForwardWindowsRequest = v.pipe(
  v.object({
    input: v.optional(MapSchema),
    inputWindow: v.optional(InputWindowSchema),
    layers: StackSchema,
    since: v.nullable(v.pipe(v.string('since must be the state of the last answer, or null'), v.maxLength(64, 'since must be at most 64 characters'))),
  }),
  v.check((r) => (r.input === undefined) !== (r.inputWindow === undefined), 'send either the whole input or the window of it that changed, not both or neither'),
  v.check((r) => r.inputWindow === undefined || r.since !== null, 'an input window needs since: the state whose input it patches'),
);
export const ProbeRequest = v.object({
  input: MapSchema,
  layers: v.pipe(StackSchema, v.minLength(1, 'probing needs at least one layer')),
  layer: int(0, LIMITS.maxLayers - 1, 'layer'),
  unit: v.object({
    c: int(0, LIMITS.maxChannels - 1, 'channel'),
    y: int(0, LIMITS.maxImageSide - 1, 'row'),
    x: int(0, LIMITS.maxImageSide - 1, 'column'),
  }),
});

const finiteNumber = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`));

/** Refuses a kernel larger than the input, naming both sizes (the engine would too, but later and less kindly). */
const kernelFitsInput = <T extends { x: MapData; kernel: Pair }>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const [kh, kw] = dataset.value.kernel;
    const [, , h, w] = dataset.value.x.shape;
    if (kh > h || kw > w) addIssue({ message: `kernel ${kh}×${kw} is larger than the input ${h}×${w}` });
  });

export const TrainStartRequest = v.pipe(
  v.object({
    x: MapSchema,
    y: MapSchema,
    kernel: pairOf(1, LIMITS.maxKernelSide, 'kernel'),
    initWeight: v.optional(floats('starting weights')),
    seed: v.optional(int(0, 2 ** 31 - 1, 'seed')),
    learnBias: v.boolean(),
    lr: v.pipe(
      v.number('learning rate must be a number'),
      v.finite('learning rate must be finite'),
      v.gtValue(0, 'learning rate must be positive'),
    ),
    iterations: int(1, LIMITS.maxTrainingSteps, 'iterations'),
    flip: v.boolean(),
    /** Milliseconds between iterations, so a short run can be watched; 0 runs flat out. */
    pace: int(0, 2000, 'pace'),
  }),
  v.check(
    (s) => s.initWeight === undefined || s.initWeight.length === s.kernel[0] * s.kernel[1],
    'starting weights need one value per kernel cell',
  ),
  kernelFitsInput(),
);
export const LossSurfaceRequest = v.pipe(
  v.object({
    x: MapSchema,
    y: MapSchema,
    kernel: pairOf(1, 2, 'kernel'),
    flip: v.boolean(),
    bias: finiteNumber('bias'),
    /** Points the window must show (the start, the path so far); the minimum is always shown. */
    include: v.pipe(v.array(v.tuple([finiteNumber('point k1'), finiteNumber('point k2')])), v.maxLength(64, 'at most 64 points to include')),
    size: int(8, 128, 'surface size'),
  }),
  v.check((s) => s.kernel[0] * s.kernel[1] === 2, 'the loss surface needs a kernel with exactly two weights'),
  kernelFitsInput(),
);

export const TrainControlRequest = v.object({
  runId: int(1, Number.MAX_SAFE_INTEGER, 'run id'),
  command: v.picklist(['pause', 'resume', 'step', 'stop'], 'command must be pause, resume, step or stop'),
});

export const SettingsSchema = v.object({
  locale: v.picklist(['system', 'en', 'zh-CN'], 'locale must be system, en or zh-CN'),
  theme: v.picklist(['system', 'light', 'dark'], 'theme must be system, light or dark'),
  zoom: v.pipe(v.number(), v.finite(), v.minValue(0.5, 'zoom must be at least 50%'), v.maxValue(3, 'zoom must be at most 300%')),
  /** Engine workers to run, at most the machine's cores (absent: all of them); read when the app starts. */
  engineWorkers: v.optional(v.pipe(v.number(), v.integer('engine workers must be a whole number'),
    v.minValue(1, 'engine workers must be at least 1'), v.maxValue(256, 'engine workers must be at most 256'))),
});
export const SettingsPatch = v.partial(SettingsSchema);

// ---------- responses ----------

export type MapData = v.InferOutput<typeof MapSchema>;
export type LayerSpec = v.InferOutput<typeof LayerSchema>;
export type Settings = v.InferOutput<typeof SettingsSchema>;
export type Box = { top: number; left: number; bottom: number; right: number };
export type Pair = [number, number];

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
  platform: string;
  /** The operating system's language, used when the setting is "system". */
  systemLocale: string;
}
export interface ForwardResponse {
  outputs: MapData[];
}
/** The maps as the windows that changed since `since` (core/lab/map-windows.ts), or whole. */
export type ForwardWindowsResponse = Omit<WindowsAnswer, 'outputs'> & { outputs: MapData[] | null };
export interface ProbeResponse {
  perLayer: { layer: number; size: Pair; jump: Pair; start: Pair; center: Pair; effectivePadding: Pair }[];
  boxes: Box[];
  analyticBox: Box;
  gradient: MapData;
}
export interface TrainStartResponse {
  runId: number;
}
export interface LossSurfaceResponse {
  size: number;
  /** The window: [min, max] of k1 (left to right) and of k2 (bottom to top). */
  k1: [number, number];
  k2: [number, number];
  /** values[j·size + i]: the loss at column i (k1 rising rightwards), row j (k2 falling downwards), cell centres. */
  values: Float32Array;
  /** Where the loss is smallest, or null when a direction is flat. */
  minimum: [number, number] | null;
}
export interface TrainControlResponse {
  state: 'running' | 'paused' | 'stopped';
}

// ---------- the call table ----------

const Empty = v.object({});

/** A call: its request schema, and (as a type only) its response. */
interface CallSpec<S extends v.GenericSchema, R> {
  request: S;
  response?: R;
}
const call = <R>() => <S extends v.GenericSchema>(request: S): CallSpec<S, R> => ({ request });

export const calls = {
  appInfo: call<AppInfo>()(Empty),
  getSettings: call<Settings>()(Empty),
  setSettings: call<Settings>()(SettingsPatch),
  forward: call<ForwardResponse>()(ForwardRequest),
  /** The lab's own forward pass: after a brush dab, only the windows of the maps it changed travel. */
  forwardWindows: call<ForwardWindowsResponse>()(ForwardWindowsRequest),
  probe: call<ProbeResponse>()(ProbeRequest),
  trainStart: call<TrainStartResponse>()(TrainStartRequest),
  trainControl: call<TrainControlResponse>()(TrainControlRequest),
  lossSurface: call<LossSurfaceResponse>()(LossSurfaceRequest),
  // Lab files (files-contract.ts). Open and save ask the user through the host's dialogs; the browser host has none,
  // so its page uploads (importLab) and downloads (encodeLab) instead.
  newLab: call<Nothing>()(Empty),
  openLab: call<Chosen<OpenedLab>>()(Empty),
  openRecent: call<OpenedLab>()(OpenRecentRequest),
  openPending: call<Chosen<OpenedLab>>()(Empty),
  importLab: call<OpenedLab>()(NamedLabRequest),
  saveLab: call<Chosen<SavedFile>>()(LabTextRequest),
  saveLabAs: call<Chosen<SavedFile>>()(NamedLabRequest),
  encodeLab: call<{ text: string; fileName: string }>()(NamedLabRequest),
  listRecent: call<{ files: RecentFile[] }>()(Empty),
  autosave: call<Nothing>()(LabTextRequest),
  setDirty: call<Nothing>()(DirtyRequest),
  /** What the page finds at its start: an autosave to offer back, and whether a file waits to be opened. */
  recoveryInfo: call<{ recovery: RecoveryInfo | null; pending: boolean }>()(Empty),
  takeRecovery: call<Chosen<OpenedLab>>()(Empty),
  discardRecovery: call<Nothing>()(Empty),
  exportFile: call<Chosen<SavedFile>>()(ExportFileRequest),
  /** File › Import image: the host's open dialog, then the image's bytes (PNG or JPEG) for the page to decode. */
  openImage: call<Chosen<ImageFile>>()(Empty),
  /** The page has settled its unsaved changes: the window may close now. */
  closeWindow: call<Nothing>()(Empty),
  // The dataset (dataset-contract.ts): where its four files are and whether they check out, a folder the user
  // chooses, a download reported through 'dataset' events, and pages of its images to show.
  datasetStatus: call<DatasetStatus>()(Empty),
  datasetChooseFolder: call<Chosen<{ status: DatasetStatus }>>()(DatasetFolderRequest),
  datasetUseDefault: call<DatasetStatus>()(Empty),
  datasetDownloadStart: call<Nothing>()(Empty),
  datasetDownloadCancel: call<Nothing>()(DatasetCancelRequest),
  datasetImages: call<DatasetImages>()(DatasetImagesRequest),
  datasetImage: call<DatasetImages>()(DatasetImageRequest),
  // The network explorer (network-contract.ts): a book network's blocks, layers and fields at a size, and one
  // forward pass through it in the engine, answering the maps of the block the user views.
  networkInfo: call<NetworkView>()(NetworkInfoRequest),
  networkForward: call<NetworkForwardResponse>()(NetworkForwardRequest),
  // LeNet on the dataset (net-contract.ts), trained in the engine worker, reported through 'netTraining' events.
  netTrainStart: call<TrainStartResponse>()(NetTrainStartRequest),
  netTrainControl: call<TrainControlResponse>()(NetTrainControlRequest),
  netPredict: call<NetPrediction>()(NetPredictRequest),
  // Kept and shared (lab-file-v3.ts): a run's trained net for the lab file, and a saved net back into the worker.
  netSnapshot: call<SavedNet>()(NetSnapshotRequest),
  netLoad: call<TrainStartResponse>()(NetLoadRequest),
  // Inside a trained net (net-probe-contract.ts): one unit's gradient on the input, its effective receptive field.
  netUnitGradient: call<NetUnitGradient>()(NetUnitGradientRequest),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type RequestOf<K extends CallName> = v.InferOutput<Calls[K]['request']>;
export type ResponseOf<K extends CallName> = NonNullable<Calls[K]['response']>;
export const CALL_NAMES = Object.keys(calls) as CallName[];

// ---------- events pushed to the page ----------

export type MenuCommand =
  | 'new'
  | 'open'
  | 'openRecent'
  | 'importImage'
  | 'save'
  | 'saveAs'
  | 'export'
  | 'undo'
  | 'redo'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomReset'
  | 'about'
  | 'guide';

export interface TrainingEvent {
  runId: number;
  kind: 'step' | 'done' | 'stopped' | 'paused' | 'diverged' | 'error';
  iteration: number;
  iterations: number;
  loss?: number;
  weight?: Float32Array;
  bias?: number;
  grad?: Float32Array;
  biasGrad?: number;
  message?: string;
}

export interface Events {
  settingsChanged: Settings;
  menuCommand: MenuCommand;
  training: TrainingEvent;
  /** The window is closing with unsaved changes: the page asks the user, then calls closeWindow. */
  closeRequested: Nothing;
  /** The operating system asked to open a lab: the page settles unsaved changes, then calls openPending. */
  openRequested: { name: string };
  /** A dataset download's progress and its end. */
  dataset: DatasetEvent;
  /** A LeNet run's batches, epochs, filters and end. */
  netTraining: NetTrainingEvent;
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['settingsChanged', 'menuCommand', 'training', 'closeRequested', 'openRequested', 'dataset', 'netTraining'];

/** The one object the page sees (window.convlab in Electron; the host's connection in a browser). */
export type ConvLabApi = {
  [K in CallName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  readonly host: 'electron' | 'web';
};
