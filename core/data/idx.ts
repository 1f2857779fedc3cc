/**
 * The IDX format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): a big-endian magic number whose third byte
 * is the data type and fourth the number of dimensions, one 32-bit big-endian size per dimension, then the data in
 * C order. Bytes in, typed arrays out; anything else is refused with a message naming the file and the rule.
 */
import { ConvLabError } from '../errors';
import { LIMITS } from '../limits';

/** Unsigned bytes in 3 dimensions (count, rows, cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Unsigned bytes in 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;
/** Classes a label may name: 0–9. */
export const IDX_CLASSES = 10;

export interface IdxImages { count: number; rows: number; cols: number; pixels: Uint8Array }
export interface IdxLabels { count: number; labels: Uint8Array }

function refuse(fileName: string, rule: string): never {
  throw new ConvLabError('format', `${fileName}: ${rule}`);
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

function header(bytes: Uint8Array, fileName: string, magic: number, dims: number, what: string): number[] {
  const size = 4 + 4 * dims;
  if (bytes.length < 4) refuse(fileName, `is ${bytes.length} bytes long, too short for an IDX magic number`);
  const got = u32(bytes, 0);
  if (got !== magic) {
    refuse(fileName, `magic number ${hex(got)} is not that of an IDX ${what} file (${hex(magic)}: unsigned bytes, ${dims} dimension${dims === 1 ? '' : 's'})`);
  }
  if (bytes.length < size) refuse(fileName, `is truncated: ${bytes.length} bytes, but an IDX ${what} header takes ${size}`);
  return Array.from({ length: dims }, (_, i) => u32(bytes, 4 + 4 * i));
}

function checkPayload(bytes: Uint8Array, fileName: string, headerSize: number, expected: number, description: string): void {
  const got = bytes.length - headerSize;
  if (got < expected) refuse(fileName, `is truncated: the header promises ${description} (${expected} bytes of data) but only ${got} follow`);
  if (got > expected) refuse(fileName, `has ${got - expected} bytes after the ${expected} bytes of data its header promises (${description})`);
}

function checkCount(count: number, fileName: string, what: string): void {
  if (count === 0) refuse(fileName, `holds no ${what}`);
  if (count > LIMITS.maxDatasetItems) refuse(fileName, `holds ${count} ${what}, above the limit of ${LIMITS.maxDatasetItems}`);
}

/** Reads an IDX image file (magic 0x00000803): count images of rows×cols unsigned bytes. */
export function readIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const [count, rows, cols] = header(bytes, fileName, IDX_IMAGES_MAGIC, 3, 'images');
  checkCount(count, fileName, 'images');
  const max = LIMITS.maxDatasetImageSide;
  if (rows === 0 || cols === 0) refuse(fileName, `images of ${rows}×${cols} pixels have no pixels`);
  if (rows > max || cols > max) refuse(fileName, `images of ${rows}×${cols} pixels are above the limit of ${max}×${max}`);
  checkPayload(bytes, fileName, 16, count * rows * cols, `${count} images of ${rows}×${cols}`);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/** Reads an IDX label file (magic 0x00000801): count labels, each a class 0–9. */
export function readIdxLabels(bytes: Uint8Array, fileName: string): IdxLabels {
  const [count] = header(bytes, fileName, IDX_LABELS_MAGIC, 1, 'labels');
  checkCount(count, fileName, 'labels');
  checkPayload(bytes, fileName, 8, count, `${count} labels`);
  const labels = bytes.subarray(8);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= IDX_CLASSES) refuse(fileName, `label ${labels[i]} at index ${i} is not a class 0–${IDX_CLASSES - 1}`);
  }
  return { count, labels };
}

/** One split of a dataset: images and their labels, checked to agree. */
export interface LabelledImages extends IdxImages { labels: Uint8Array }

/** Pairs an image file with its label file; they must hold the same number of items. */
export function pairIdx(images: IdxImages, labels: IdxLabels, imageFile: string, labelFile: string): LabelledImages {
  if (images.count !== labels.count) {
    throw new ConvLabError('format', `${imageFile} holds ${images.count} images but ${labelFile} holds ${labels.count} labels`);
  }
  return { ...images, labels: labels.labels };
}
