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
  /** Most channels of one convolution inside a network the engine runs (the lab's own layers keep maxChannels). */
  maxNetworkChannels: 2048,
  /**
   * Most multiply-adds of one forward pass through a book network in the explorer: a few seconds of the engine on
   * one shared core (0.14–0.36 billion a second measured in TypeScript, about 1.2 billion with the WebAssembly
   * kernels, 2026-11). ResNet-18 (1.73 billion) and AlexNet (0.94 billion) at 224×224 fit; VGG-11 at 224×224
   * (7.55 billion) does not.
   */
  maxNetworkMultiplyAdds: 2_000_000_000,
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
  /**
   * The compute budget, checked before any work starts (core/budget.ts): most multiply-adds one request may cost
   * (forward, probe, loss surface, or one training step). About eight seconds of the engine on one core (1.3 billion a second, measured on a shared CI core).
   */
  maxMultiplyAdds: 10_000_000_000,
  /** Most values one answer may hold (every layer's output together): 32 Mi floats = 128 MiB. */
  maxOutputValues: 32 * 1024 * 1024,
  /** Most values in one input map (an image or a training target): 4 Mi floats = 16 MiB, e.g. 16×512×512. */
  maxInputValues: 4 * 1024 * 1024,
} as const;

export type Limits = typeof LIMITS;
