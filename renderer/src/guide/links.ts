/**
 * Where the guide's network chapters lead: the first of these workspace modes that exists. The Network mode opens a
 * network of the book; for LeNet (5.5) the training view comes first. A mode not built yet simply has no button.
 */
import type { NetId } from '../../../electron/contract/core-exports';
import { MODE_IDS, type ModeId } from '../modes/mode-ids';

const NETWORK_MODES = ['network'];
const LENET_MODES = ['train-nets', 'network'];

export function modeFor(net: NetId): ModeId | null {
  const wanted = net === 'lenet' ? LENET_MODES : NETWORK_MODES;
  for (const id of wanted) {
    const mode = MODE_IDS.find((m) => m === id);
    if (mode) return mode;
  }
  return null;
}
