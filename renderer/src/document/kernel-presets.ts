/** Kernels the editor can apply in one click: the book's, then the classic image filters. */
export type KernelPresetId =
  | 'book'
  | 'edge'
  | 'edgeTransposed'
  | 'sobelX'
  | 'sobelY'
  | 'laplacian'
  | 'box'
  | 'gaussian'
  | 'sharpen'
  | 'identity'
  | 'emboss'
  | 'ones2x2';

export const KERNEL_PRESETS: Record<KernelPresetId, number[][]> = {
  book: [
    [0, 1],
    [2, 3],
  ],
  edge: [[1, -1]],
  edgeTransposed: [[1], [-1]],
  sobelX: [
    [-1, 0, 1],
    [-2, 0, 2],
    [-1, 0, 1],
  ],
  sobelY: [
    [-1, -2, -1],
    [0, 0, 0],
    [1, 2, 1],
  ],
  laplacian: [
    [0, 1, 0],
    [1, -4, 1],
    [0, 1, 0],
  ],
  box: [
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
  ],
  gaussian: [
    [1 / 16, 2 / 16, 1 / 16],
    [2 / 16, 4 / 16, 2 / 16],
    [1 / 16, 2 / 16, 1 / 16],
  ],
  sharpen: [
    [0, -1, 0],
    [-1, 5, -1],
    [0, -1, 0],
  ],
  identity: [
    [0, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ],
  emboss: [
    [-2, -1, 0],
    [-1, 1, 1],
    [0, 1, 2],
  ],
  ones2x2: [
    [1, 1],
    [1, 1],
  ],
};

export const KERNEL_PRESET_IDS = Object.keys(KERNEL_PRESETS) as KernelPresetId[];
