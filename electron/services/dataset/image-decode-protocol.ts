/** The messages between the folder reader (main side) and its decode threads. */
import type { FitSettings } from './image-fit';

export interface DecodeRequest {
  id: number;
  /** The dataset's folder; `paths` are relative to it. */
  root: string;
  paths: string[];
  settings: FitSettings;
}

export interface DecodeReply {
  id: number;
  /** The fitted images back to back, in the order of `paths` (a refused file's room left zero). */
  pixels: Uint8Array;
  /** Null for a decoded image, else why it was skipped. */
  refusals: (string | null)[];
}
