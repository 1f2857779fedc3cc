/**
 * The file calls' requests and answers (open, save, import, export, recent, autosave, recovery), kept beside the
 * contract so contract.ts stays one table. The page names files by display name or recent-list id, never by path.
 */
import * as v from 'valibot';
import { MAX_LAB_FILE_BYTES, type Lab } from './lab-file';

export type ExportKind = 'png' | 'svg' | 'csv' | 'py' | 'onnx';
/** Exports are small next to a lab (a PNG is at most 8192 px on a side). */
export const MAX_EXPORT_BYTES = 128 * 1024 * 1024;

export interface OpenedLab {
  /** For the title bar: the file's name without its folder or extension ('' for an untitled lab). */
  name: string;
  lab: Lab;
}
export interface SavedFile {
  name: string;
}
/** The user cancelled the dialog, or chose. */
export type Chosen<T> = ({ cancelled: false } & T) | { cancelled: true };
export interface RecentFile {
  /** What the page sends back to open it: the path stays in main. */
  id: string;
  name: string;
  /** Shown so two labs of the same name can be told apart. */
  folder: string;
}
export interface RecoveryInfo {
  /** The file the unsaved work belonged to, or null for an untitled lab. */
  name: string | null;
  savedAt: number;
}
export type Nothing = Record<string, never>;
/** An image chosen for File › Import image: its bytes, for the page to decode at the resolution the user picks. */
export interface ImageFile {
  name: string;
  type: 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

const tooLarge = `a lab file holds at most ${MAX_LAB_FILE_BYTES / 1048576} MB`;
/**
 * A lab file's content: its bytes (the browser host's page sends files as they are, unescaped) or its text. Each is
 * refused above the file limit with its own message; the bytes' encoding is checked at the gate.
 */
const labText = v.union(
  [
    v.pipe(v.instance(Uint8Array), v.check((bytes) => bytes.byteLength <= MAX_LAB_FILE_BYTES, (issue) => `this file is ${((issue.input as Uint8Array).byteLength / 1048576).toFixed(1)} MB; ${tooLarge}`)),
    v.pipe(v.string(), v.maxLength(MAX_LAB_FILE_BYTES, (issue) => `this lab's text is ${Math.round((issue.input as string).length / 1048576)} M characters; ${tooLarge}`)),
  ],
  'the lab must be sent as bytes or text',
);
export type LabContent = string | Uint8Array;
/** A name to suggest, never a path: the host keeps only its last part. */
const fileName = v.pipe(v.string('a file name must be text'), v.minLength(1, 'a file name cannot be empty'), v.maxLength(255, 'a file name holds at most 255 characters'));

export const LabTextRequest = v.object({ text: labText });
export const NamedLabRequest = v.object({ text: labText, fileName });
export const OpenRecentRequest = v.object({ id: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/, 'not a recent-list id')) });
export const DirtyRequest = v.object({ dirty: v.boolean('dirty must be true or false') });
export const ExportFileRequest = v.object({
  kind: v.picklist(['png', 'svg', 'csv', 'py', 'onnx'], 'an export is a png, svg, csv, py or onnx file'),
  fileName,
  data: v.union(
    [
      v.pipe(v.string(), v.maxLength(MAX_EXPORT_BYTES, 'the export is too large')),
      v.pipe(v.instance(Uint8Array), v.check((bytes) => bytes.byteLength <= MAX_EXPORT_BYTES, 'the export is too large')),
    ],
    'an export is text or bytes',
  ),
});
