/** Every size ConvLab accepts, in one place: the engine refuses beyond these, the contract's schemas enforce them. */
export const LIMITS = {
  /** Largest input side, in pixels (a drawing or an imported image). */
  maxImageSide: 512,
  /** Largest kernel side (rows or columns). */
  maxKernelSide: 11,
  /** Most channels in one feature map (input or output of a layer). */
  maxChannels: 64,
  /** Most layers in a stack. */
  maxLayers: 16,
  /** Largest batch the engine accepts in one call. */
  maxBatch: 64,
  /** Largest stride, padding or dilation on one axis. */
  maxStride: 8,
  maxPadding: 16,
  maxDilation: 8,
  /** Most iterations of one training run. */
  maxTrainingSteps: 100_000,
  /** Most images (or labels) in one IDX dataset file (Fashion-MNIST's training set has 60,000). */
  maxDatasetItems: 100_000,
  /** Largest image side in an IDX dataset file, in pixels (Fashion-MNIST's are 28). */
  maxDatasetImageSide: 64,
  /** Largest training batch of a network (the book's is 256). */
  maxTrainingBatch: 1024,
  /** Most epochs of one network training run. */
  maxEpochs: 100,
  /** Most values in one tensor the engine will allocate (64 Mi floats = 256 MiB). */
  maxTensorSize: 64 * 1024 * 1024,
} as const;

export type Limits = typeof LIMITS;
