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
   * one shared core (0.14–0.36 billion a second measured on this machine, 2026-11). ResNet-18 (1.73 billion) and
   * AlexNet (0.94 billion) at 224×224 fit; VGG-11 at 224×224 (7.55 billion) does not.
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
  /** Most values in one tensor the engine will allocate (64 Mi floats = 256 MiB). */
  maxTensorSize: 64 * 1024 * 1024,
} as const;

export type Limits = typeof LIMITS;
