/** The shape of one backward rule, shared by the rule files. */
import type { Tensor } from '../tensor';
import type { OpContext } from './ops/graph-op';

/** Given a node's inputs, outputs and its first output's gradient: each input's gradient (undefined: none flows). */
export type GradRule = (ins: readonly (Tensor | undefined)[], outs: readonly Tensor[], g: Tensor, c: OpContext) => (Tensor | undefined)[];
