/** The general graph runner: any DAG of graph ops, inferred, run and probed on the engine's tensors. */
export type { Graph, GraphNode, GraphInput, GraphAttr, GraphAttrs } from './graph';
export { inferGraph, fieldSize, type GraphFacts, type NodeFacts, type GraphField, type PathBox } from './infer-graph';
export { runGraph, type GraphRun, type RunOptions } from './run-graph';
export { unitGradient } from './grad-graph';
export { probeGraph, nodeNamed, unitBox, type MapBox, type TensorReach } from './probe-graph';
export { graphOpNames, graphOpOf } from './ops/table';
