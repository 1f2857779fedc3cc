/**
 * The workspace's modes, in the order the switcher shows them. Adding a mode is its id in mode-ids.ts, one entry here
 * and one folder (renderer/src/modes/<id>/) holding its view; its name is `modes.<id>` in the i18n files (Network and Dataset are
 * already named there). The mode in use takes the centre of the window at full size.
 */
import type { Component } from 'vue';
import LabMode from './lab/LabMode.vue';
import TrainingMode from './training/TrainingMode.vue';
import NetworkMode from './network/NetworkMode.vue';
import DatasetMode from './dataset/DatasetMode.vue';
import TrainNetsMode from './train-nets/TrainNetsMode.vue';
import type { ModeId } from './mode-ids';

export interface WorkspaceMode {
  id: ModeId;
  view: Component;
}

export const MODES = [
  { id: 'lab', view: LabMode },
  { id: 'training', view: TrainingMode },
  { id: 'network', view: NetworkMode },
  { id: 'dataset', view: DatasetMode },
  { id: 'train-nets', view: TrainNetsMode },
] as const satisfies readonly WorkspaceMode[];
