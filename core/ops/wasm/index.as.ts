/**
 * The WebAssembly module's entry: what JavaScript calls (see ../conv2d-wasm.ts and kernels.ts). Built by
 * build/compile-wasm.mjs with SIMD enabled; nothing here allocates, memory is laid out by the caller.
 */
export { biasGrad, forward, forwardScratch, weightGrad, weightGradScratch, inputGrad, inputGradScratch } from './conv2d.as';
export { gemm, pack4, pack4T } from './gemm.as';
export { denseForward } from './dense.as';
export { setGeometry } from './geometry.as';
export { directScratch, forwardDirect, weightGradDirect } from './direct.as';
export { forwardTaps, tapsScratch, weightGradTaps } from './taps.as';
export { inputGradTaps, inputGradTapsScratch } from './taps-input-grad.as';
export { forwardTapsLanes, forwardTapsLanesScratch, weightGradTapsLanes, weightGradTapsLanesScratch } from './taps-lanes.as';
export { poolBackward, poolForward } from './pool2d.as';
export { sigmoidBackwardInPlace, sigmoidForward } from './activation.as';
export { batchNormApply, batchNormGradInput, batchNormGradSums, batchNormStats } from './batchnorm.as';
export { allFinite } from './moves.as';

/** The first byte after the module's own static data: callers lay their buffers out from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
