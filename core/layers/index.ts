/** The layer table and each kind's spec and constructor. */
export type { AnySpec, Branch, ContainerKind, ForwardContext, InferState, Json, LayerBlock, LayerFacts, LayerKind, LayerSettings, LeafKind, ParamRole, ParamShape, Reach } from './kind';
export { blockLayerKinds, blockRole, kindOf, isLayerType, registerLayerKind, type BlockRole, type LayerSpec, type LayerType } from './table';
export { conv2dLayer, type Conv2dSpec } from './conv2d';
export { denseLayer, type DenseSpec } from './dense';
export { maxPoolLayer, type MaxPoolSpec } from './maxpool';
export { avgPoolLayer, type AvgPoolSpec } from './avgpool';
export { activationLayer, ACTIVATION_NAMES, type ActivationSpec } from './activation';
export { flattenBlock, flattenLayer, type FlattenSpec } from './flatten';
export { batchNormBlock, batchNormLayer, BOOK_BATCH_NORM, type BatchNormSpec } from './batchnorm';
export { dropoutBlock, dropoutLayer, type DropoutSpec } from './dropout';
export { globalAvgPoolBlock, globalAvgPoolLayer, type GlobalAvgPoolSpec } from './global-avg-pool';
export { residualLayer, type ResidualSpec } from './residual';
export { concatLayer, type ConcatSpec } from './concat';
