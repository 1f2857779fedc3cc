/** The lab-facing API: what the app's engine worker calls. */
export type { BoxData, LayerField, LabConv, LabLayer, MapData, Pair, ProbeResult, TrainSettings, TrainStep, Trainer } from './types';
export { runStack, stackShapes } from './stack';
export { labLayerSpec, labNet } from './as-net';
export { labConv, type LabConvSettings } from './lab-conv';
export { createStackCache, type StackCache, type WindowsAnswer } from './incremental-stack';
export { applyWindows, changedInputWindow, cutWindows, windowProblem, type ChangedBox, type InputWindow, type LayerChange, type MapWindow } from './map-windows';
export { probeUnit } from './probe';
export { createTrainer } from './trainer';
