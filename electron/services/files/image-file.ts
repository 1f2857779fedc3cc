/** Reads an image the user chose to import: PNG or JPEG only (told by its first bytes, not its name), size-capped. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImageFile } from '../../contract/contract';
import { ServiceError } from '../router';

/** Photos larger than this are not worth decoding for a grid of at most 512×512 cells. */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export async function readImageFile(path: string): Promise<ImageFile> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.size > MAX_IMAGE_BYTES) {
      throw new ServiceError('bad-file', `${name}: this image is ${Math.round(info.size / 1048576)} MB; ConvLab imports images of at most ${MAX_IMAGE_BYTES / 1048576} MB`);
    }
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('io', `${name} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (startsWith(bytes, PNG)) return { name, type: 'image/png', bytes };
  if (startsWith(bytes, JPEG)) return { name, type: 'image/jpeg', bytes };
  throw new ServiceError('bad-file', `${name} is not a PNG or JPEG image`);
}
