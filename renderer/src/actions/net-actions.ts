/** The trained network kept with the lab: a finished run's net replaces the one kept before (not an undo step). */
import type { SavedNet } from '../../../electron/contract/lab-file-v3';
import { defineAction } from './action';

export const keepTrainedNet = defineAction<SavedNet>('keepTrainedNet', (doc, net) => ({ doc: { ...doc, net }, capture: false }));
