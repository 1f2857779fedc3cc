/**
 * Networks as data (chapter 5): specs, parameters, running forward and backward, the book's LeNets and their
 * training runs. Exported from core as the `nets` namespace (its LayerSpec and TrainSettings are not the lab's).
 */
export type { ActivationName, LayerSpec, NetSpec, Params } from './model';
export { paramSlots, learnableCount, initParams, checkParams, cloneParams, layerPath, type ParamSlot, type ParamRole, type InitOptions } from './params';
export { runLayers, paramLeaves, predict, lossAndGrads, argmaxRow, unitInputGradient, type NetMode, type RunOptions, type LossOptions, type LossAndGrads, type ParamVars } from './run';
export { NetSgd } from './sgd';
export { lenetSpec, BOOK_LENET, BOOK_BN_LENET, MAX_LENET_CHANNELS, type LeNetOptions, type PoolingName } from './lenet';
export {
  Training, runTraining, checkTrainSettings, trainingNet, bookLine, fixed, BOOK_SETTINGS, TRAINABLE_NETS,
  type TrainSettings, type TrainableNet, type BatchProgress, type EpochResult, type TrainControl, type TrainCallbacks, type TrainOutcome,
} from './train';
export { predictImage, softmax, type ImagePrediction, type LayerOutput } from './predict-image';
export { parseReferenceModel } from './reference-model';
