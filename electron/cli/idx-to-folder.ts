/**
 * `npx tsx electron/cli/idx-to-folder.ts OUT [IDX_DIR]`: writes Fashion-MNIST (or any IDX pair of 28×28 images)
 * out as an image folder, one grey PNG per image under train/<class>/ and test/<class>/, the layout of
 * torchvision's ImageFolder. Class folders are numbered first ("0-t-shirt-top") so their sorted order is the
 * IDX files' label order.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelledImages } from '../../core/data/idx';
import { encodePng } from '../services/dataset/png-write';
import { DEFAULT_DATA_DIR, loadFashionMnist } from './fashion-mnist';

/** Fashion-MNIST's classes (zalandoresearch/fashion-mnist), as folder names. */
export const FASHION_FOLDERS = ['t-shirt-top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'].map((name, i) => `${i}-${name}`);

/** Writes every image of `set` as `<out>/<class folder>/<index>.png`; files at a time, so memory stays one image. */
export async function writeSplit(set: LabelledImages, out: string, folders: readonly string[] = FASHION_FOLDERS): Promise<void> {
  for (const folder of folders) await mkdir(join(out, folder), { recursive: true });
  const plane = set.rows * set.cols;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < set.count; i++) {
    const png = encodePng({ width: set.cols, height: set.rows, colourType: 0, depth: 8, data: set.pixels.subarray(i * plane, (i + 1) * plane) });
    pending.push(writeFile(join(out, folders[set.labels[i]], `${String(i).padStart(5, '0')}.png`), png));
    // A few hundred writes in flight at most: enough to keep the disk busy, few enough to hold no split in memory.
    if (pending.length >= 256) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

async function main(): Promise<void> {
  const [out, idxDir = DEFAULT_DATA_DIR] = process.argv.slice(2);
  if (!out) throw new Error('usage: npx tsx electron/cli/idx-to-folder.ts OUT [IDX_DIR]');
  const { train, test } = await loadFashionMnist(idxDir);
  await writeSplit(train, join(out, 'train'));
  await writeSplit(test, join(out, 'test'));
  process.stdout.write(`${out}: ${train.count} training and ${test.count} test images as PNG files under train/ and test/\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(`idx-to-folder: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
