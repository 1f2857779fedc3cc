/** ConvLab's engine: tensors, ops with their backward, the tape, receptive fields and the lab-facing API. */
export { ConvLabError, type ErrorCode } from './errors';
export { LIMITS, type Limits } from './limits';
export { toPair, outSize, dilatedExtent, type Pair } from './geometry';
export { tensor, zeros, reshape, sizeOf, shapeText, checkFinite, type Tensor } from './tensor';
export { mulberry32, uniform, defaultConvWeights, DEFAULT_INIT_SCALE } from './random';
export * from './ops/conv2d';
export * from './ops/pool2d';
export * from './ops/activation';
export * from './ops/dense';
export * from './ops/loss';
export { Sgd, checkSgd, type SgdOptions } from './optim/sgd';
export { Tape, RULES, type Var, type Entry } from './tape';
export * from './receptive-field';
export * from './lab';
