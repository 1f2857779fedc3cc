/** Inputs the lab can load in one click: the book's arrays first, then shapes that make kernels easy to read. */
import { imageFromRows, makeImage, type InputImage } from './document';

export type InputPresetId =
  | 'book3x3'
  | 'bars'
  | 'barsTransposed'
  | 'checkerboard'
  | 'circle'
  | 'diagonal'
  | 'digit'
  | 'twoByTwoStack';

/** d2l 5.1.3: nd.ones((6, 8)) with X[:, 2:6] = 0. */
export function barsImage(): InputImage {
  const image = makeImage(6, 8, 1);
  for (let y = 0; y < 6; y++) for (let x = 2; x < 6; x++) image.data[y * 8 + x] = 0;
  return image;
}

export function transpose(image: InputImage): InputImage {
  const out = makeImage(image.width, image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) out.data[x * image.height + y] = image.data[y * image.width + x];
  }
  return out;
}

function checkerboard(): InputImage {
  const image = makeImage(8, 8);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) image.data[y * 8 + x] = (x + y) % 2;
  return image;
}

function circle(): InputImage {
  const image = makeImage(16, 16);
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const r = Math.hypot(y - 7.5, x - 7.5);
      image.data[y * 16 + x] = r <= 6 ? 1 : 0;
    }
  }
  return image;
}

function diagonal(): InputImage {
  const image = makeImage(10, 10);
  for (let i = 0; i < 10; i++) image.data[i * 10 + i] = 1;
  return image;
}

/** A "3" drawn on a 16×16 grid, with the soft edges a pen leaves. */
function digit(): InputImage {
  const rows = [
    '................',
    '................',
    '....######......',
    '...##....##.....',
    '.........##.....',
    '.........##.....',
    '........##......',
    '.....####.......',
    '........##......',
    '.........##.....',
    '.........##.....',
    '...##....##.....',
    '....######......',
    '................',
    '................',
    '................',
  ];
  const image = makeImage(16, 16);
  rows.forEach((row, y) => {
    for (let x = 0; x < 16; x++) if (row[x] === '#') image.data[y * 16 + x] = 1;
  });
  // Soften: a pen's ink bleeds a little into its neighbours.
  const soft = new Float32Array(image.data);
  for (let y = 1; y < 15; y++) {
    for (let x = 1; x < 15; x++) {
      if (image.data[y * 16 + x] === 1) continue;
      const near = image.data[(y - 1) * 16 + x] + image.data[(y + 1) * 16 + x] + image.data[y * 16 + x - 1] + image.data[y * 16 + x + 1];
      if (near > 0) soft[y * 16 + x] = Math.min(0.5, 0.25 * near);
    }
  }
  image.data = soft;
  return image;
}

export function inputPreset(id: InputPresetId): InputImage {
  switch (id) {
    case 'book3x3':
      return imageFromRows([
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ]);
    case 'bars':
      return barsImage();
    case 'barsTransposed':
      return transpose(barsImage());
    case 'checkerboard':
      return checkerboard();
    case 'circle':
      return circle();
    case 'diagonal':
      return diagonal();
    case 'digit':
      return digit();
    case 'twoByTwoStack':
      return imageFromRows([
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ]);
  }
}

export const INPUT_PRESETS: readonly InputPresetId[] = [
  'book3x3',
  'bars',
  'barsTransposed',
  'checkerboard',
  'circle',
  'diagonal',
  'digit',
];
