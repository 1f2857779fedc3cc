/**
 * Networks as data (chapter 5): specs, parameters, running forward and backward, the book's LeNets and their
 * training runs. Exported from core as the `nets` namespace (its TrainSettings are not the lab's; its LayerSpec is
 * the layer table's, which the lab's stack speaks too).
 */
export type { ActivationName, LayerSpec, NetSpec, Params } from './model';
export { paramSlots, learnableCount, initParams, checkParams, cloneParams, layerPath, type ParamSlot, type ParamRole, type InitOptions } from './params';
export { runLayers, paramLeaves, predict, lossAndGrads, argmaxRow, unitInputGradient, type NetMode, type RunOptions, type LossOptions, type LossAndGrads, type ParamVars } from './run';
export { NetSgd } from './sgd';
export { lenetSpec, BOOK_LENET, BOOK_BN_LENET, MAX_LENET_CHANNELS, type LeNetOptions, type PoolingName } from './lenet';
export {
  checkTrainSettings, trainingNet, trainableNetId, BOOK_SETTINGS, TRAINABLE_NETS, SCALED_NETS, NET_TITLES, type TrainSettings, type TrainableNet,
} from './catalogue';
export { Training, runTraining, bookLine, fixed, type BatchProgress, type EpochResult, type TrainControl, type TrainCallbacks, type TrainOutcome } from './train';
export { predictImage, softmax, type ImagePrediction, type LayerOutput } from './predict-image';
export { parseReferenceModel } from './reference-model';
export { NET_IDS, BOOK_NETS, buildNetwork, buildBookNetwork, bookBlocks, minInputSide, type NetId, type NetOptions, type BookNet } from './book-nets';
export { assembleNetwork, type Network, type NamedBlock, type BlockInfo } from './network';
export { inferSpec, type LayerInfo, type SpecInference } from './infer';
export { bookListing, listingEntries, pythonTuple, type ListingEntry } from './listing';
export { probeBoxes } from './probe-boxes';
export { summarize, compareNetworks, epochCost, epochSeconds } from './compare';
export { expandBlock, blockFromData, BLOCK_KINDS, type BlockSpec, type BlockKind } from './blocks';
export { checkArchitectureCase, scoreArchitectureCase } from './architecture-case';
export {
  exploreNetwork, networkView, checkNetworkBudget, blockSummary, amountText,
  type NetworkView, type BlockView, type RowView, type DiagramNode, type JoinView, type FieldView, type LayerSettings,
} from './explore';
export { blockOutputs, outputSlice, vectorColumns, MAX_VIEWED_CHANNELS, type OutputSlice } from './block-outputs';
