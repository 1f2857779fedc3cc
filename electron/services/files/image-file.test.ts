import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readImageFile } from './image-file';

const icon = resolve(import.meta.dirname, '../../../build/icons/16x16.png');

describe('reading an image to import', () => {
  test('a PNG is recognised by its bytes and returned whole', async () => {
    const image = await readImageFile(icon);
    expect(image.name).toBe('16x16.png');
    expect(image.type).toBe('image/png');
    expect(Array.from(image.bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });

  test('a JPEG is recognised by its bytes; anything else is refused by name, whatever its extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convlab-image-'));
    await writeFile(join(dir, 'photo.jpg'), Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    expect((await readImageFile(join(dir, 'photo.jpg'))).type).toBe('image/jpeg');
    await writeFile(join(dir, 'fake.png'), 'not an image');
    await expect(readImageFile(join(dir, 'fake.png'))).rejects.toMatchObject({ code: 'bad-file', message: 'fake.png is not a PNG or JPEG image' });
    await expect(readImageFile(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'io', message: 'missing.png could not be read (ENOENT)' });
  });
});
