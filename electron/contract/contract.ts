/**
 * The contract: every call the page can make, with its request schema and response type, and every event the
 * main side can push. main.ts and the browser host validate each request against these schemas before routing.
 */
import * as v from 'valibot';
import {
  ForwardRequest,
  ForwardWindowsRequest,
  ProbeRequest,
  TrainStartRequest,
  LossSurfaceRequest,
  TrainControlRequest,
  type ForwardResponse,
  type ForwardWindowsResponse,
  type ProbeResponse,
  type TrainStartResponse,
  type LossSurfaceResponse,
  type TrainControlResponse,
  type TrainingEvent,
} from './lab-contract';
import { whole } from './whole';

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
import { FolderDatasetOpenRequest, type FolderDatasetEvent, type FolderDatasetOpened } from './folder-dataset-contract';

import { NetworkForwardRequest, NetworkInfoRequest, type NetworkForwardResponse, type NetworkView } from './network-contract';

import { NetPredictRequest, NetSnapshotRequest, NetTrainControlRequest, NetTrainStartRequest, type NetPrediction, type NetTrainingEvent } from './net-contract';
import { NetLoadRequest, type SavedNet } from './lab-file-v3';
import { NetUnitGradientRequest, type NetUnitGradient } from './net-probe-contract';

// The lab's schemas and answers (lab-contract.ts) are the contract's own.
export * from './lab-contract';
export { RUN_END_STATES, isRunEnd, type RunEndState } from './run-end';
export type { NetEpoch, NetFilters, NetPrediction, NetSettings, NetTrainingEvent, NetWrongImage } from './net-contract';
export type { SavedNet } from './lab-file-v3';
export type { NetUnitGradient } from './net-probe-contract';
export type { DatasetEvent, DatasetFileStatus, DatasetImages, DatasetSplit, DatasetStatus } from './dataset-contract';
export type { FolderDatasetEvent, FolderDatasetOpened, FolderDatasetSummary } from './folder-dataset-contract';
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

// ---------- settings and the app ----------

export const SettingsSchema = v.object({
  locale: v.picklist(['system', 'en', 'zh-CN'], 'locale must be system, en or zh-CN'),
  theme: v.picklist(['system', 'light', 'dark'], 'theme must be system, light or dark'),
  zoom: v.pipe(v.number(), v.finite(), v.minValue(0.5, 'zoom must be at least 50%'), v.maxValue(3, 'zoom must be at most 300%')),
  /** Engine workers to run, at most the machine's cores (absent: all of them); read when the app starts. */
  engineWorkers: v.optional(whole(1, 256, 'engine workers')),
});
export const SettingsPatch = v.partial(SettingsSchema);
export type Settings = v.InferOutput<typeof SettingsSchema>;

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
  platform: string;
  /** The operating system's language, used when the setting is "system". */
  systemLocale: string;
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
  // Image-folder datasets (folder-dataset-contract.ts): a folder of class subfolders opened (progress through
  // 'folderDataset' events), answered with its classes, counts, a sample per class and what was skipped.
  folderDatasetOpen: call<FolderDatasetOpened>()(FolderDatasetOpenRequest),
  folderDatasetCancel: call<Nothing>()(Empty),
  // The network explorer (network-contract.ts): a book network's blocks, layers and fields at a size, and one
  // forward pass through it in the engine, answering the maps of the block the user views.
  explorerInfo: call<NetworkView>()(NetworkInfoRequest),
  explorerForward: call<NetworkForwardResponse>()(NetworkForwardRequest),
  // LeNet on the dataset (net-contract.ts), trained in the engine worker, reported through 'netTraining' events.
  netTrainingStart: call<TrainStartResponse>()(NetTrainStartRequest),
  netTrainingControl: call<TrainControlResponse>()(NetTrainControlRequest),
  netTrainingPredict: call<NetPrediction>()(NetPredictRequest),
  // Kept and shared (lab-file-v3.ts): a run's trained net for the lab file, and a saved net back into the worker.
  netTrainingSnapshot: call<SavedNet>()(NetSnapshotRequest),
  netTrainingLoad: call<TrainStartResponse>()(NetLoadRequest),
  // Inside a trained net (net-probe-contract.ts): one unit's gradient on the input, its effective receptive field.
  netTrainingUnitGradient: call<NetUnitGradient>()(NetUnitGradientRequest),
  // The page gives its network back (its run, if going, stops): the main side sends it when a page closes.
  netTrainingRelease: call<Nothing>()(Empty),
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
  /** An image folder's opening: images found, then decoded, and the time left. */
  folderDataset: FolderDatasetEvent;
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['settingsChanged', 'menuCommand', 'training', 'closeRequested', 'openRequested', 'dataset', 'netTraining', 'folderDataset'];

/** The one object the page sees (window.convlab in Electron; the host's connection in a browser). */
export type ConvLabApi = {
  [K in CallName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  readonly host: 'electron' | 'web';
};
