/**
 * File › Export network as ONNX / as a PyTorch script, for every network ConvLab holds: the lab's stack, a book
 * network at a size, a trained network with its weights. The engine writes the file's contents; the page then saves
 * them with exportFile (kind 'onnx' or 'py').
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { MapSchema, StackSchema } from './lab-contract';
import { NetV3 } from './lab-file-v3';
import { NETWORK_IDS } from './network-contract';
import { whole } from './whole';

const format = v.picklist(['onnx', 'py'], 'an exported network is an onnx or py file');

export const NetworkExportRequest = v.variant('from', [
  /** The lab's stack at its input's shape (the network reads any image of that shape; the input's values stay out). */
  v.object({ from: v.literal('stack'), format, input: MapSchema, layers: StackSchema }),
  /** A trained network with its weights, as a run's snapshot or a lab file keeps it. */
  v.object({ from: v.literal('trained'), format, net: NetV3 }),
  /** A book network at a size, with ConvLab's fresh initialisation. */
  v.object({
    from: v.literal('book'),
    format,
    net: v.picklist(NETWORK_IDS, `network must be one of ${NETWORK_IDS.join(', ')}`),
    side: whole(1, LIMITS.maxImageSide, 'input side'),
    channels: v.picklist([1, 3], 'input channels must be 1 or 3'),
    divisor: whole(1, 64, 'width divisor'),
  }),
], 'an export names its network: stack, trained or book');

/** The file's contents (bytes for ONNX, text for a script) and the name the save dialog suggests. */
export interface NetworkExport {
  fileName: string;
  data: Uint8Array<ArrayBuffer> | string;
}
