/**
 * What one row of the layer table holds: everything the engine, the explorer and the budget need to know about a
 * layer kind, so that run, infer, params, probe boxes, explore, split and the CLI loop over the table instead of
 * switching on kinds. A leaf computes; a container (residual, concat) nests layer lists and joins their outputs.
 */
import type { BatchStatsExchange } from '../ops/batchnorm';
import type { Pool2dOptions } from '../ops/pool2d';
import type { Pair } from '../geometry';
import type { Box, RfInfo } from '../receptive-field';
import type { Tape, Var } from '../tape';
import type { Tensor } from '../tensor';

/** Any layer's settings: its kind's name in `type`, the rest as its record's file declares them. */
export interface AnySpec {
  readonly type: string;
}

/** Plain data as a reference file or a saved lab holds it. */
export type Json = Record<string, unknown>;

/** Where inference stands between layers: the shape, the field of a unit, and the spatial grid units lie on. */
export interface InferState {
  shape: number[];
  field: RfInfo;
  /** H×W of the last spatial map; a flatten keeps it so a dense layer after it still sees that whole map. */
  grid: Pair;
}

/** One layer's facts at the input it meets: its output, trainable values and multiply-adds for the whole batch. */
export interface LayerFacts {
  out: InferState;
  parameters: number;
  /** Multiply-adds of the products (conv, dense) for the whole batch; bias adds, pooling and BN count 0. */
  macs: number;
}

export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_var';

/** One parameter tensor a layer owns, named by its role ("weight" → path "3.weight"). */
export interface ParamShape {
  role: ParamRole;
  shape: number[];
  /** False for batch norm's moving statistics: state, not learned. */
  trainable: boolean;
  /** Xavier's fans, for weights. */
  fanIn?: number;
  fanOut?: number;
}

/** What a layer's forward may read besides its input: its parameters on the tape, its state, the run's mode. */
export interface ForwardContext {
  /** The layer's path, for messages: "3.body.0". */
  path: string;
  mode: 'train' | 'predict';
  /** The tape's leaf of parameter `role` of this layer. */
  param(role: ParamRole): Var;
  /** The plain array of a non-learned parameter (batch norm's moving statistics). */
  state(role: ParamRole): Float32Array;
  /** Train mode: fold the batch's statistics into the moving ones. */
  updateMovingStats: boolean;
  batchStats?: BatchStatsExchange;
  /** Seeded uniform source (dropout's masks). */
  random?: () => number;
}

/** The settings the explorer's rows show, only those the kind has. */
export interface LayerSettings {
  channels?: number;
  features?: number;
  kernel?: Pair;
  stride?: Pair;
  padding?: Pair;
  rate?: number;
}

/** What a probe's walk carries back through a layer: the box, and the channel while no layer mixed channels. */
export interface Reach {
  box: Box;
  c: number | undefined;
}

/**
 * How reference-2's architectures name a layer kind as a block of its own (dropout, flatten, batchnorm,
 * global_avg_pool): the settings the block carries, read and checked from plain data, and the layer it is at the
 * input it meets (a batch norm reads its channels there).
 */
export interface LayerBlock<S extends AnySpec> {
  /** Gluon's name prefix for the block: "dropout" → dropout0, dropout1 … */
  readonly prefix: string;
  readonly settings: readonly string[];
  /** The block's settings from plain data; errors name the setting and the rule. */
  read(d: Json): Json;
  expand(settings: Json, shape: readonly number[]): S;
}

/** A leaf layer kind: one row of the table. */
export interface LeafKind<S extends AnySpec> {
  readonly type: S['type'];
  readonly container?: undefined;
  /** One line for people: what it computes. */
  readonly description: string;
  /**
   * Reads the layer from reference-2's plain data (snake_case settings), adding its tensors by role through `keep`.
   * `fail` throws a format error naming the layer.
   */
  fromData(d: Json, fail: (what: string) => never, keep: (...roles: ParamRole[]) => void): S;
  /** Checks the settings at the input they meet (errors name the setting and the rule) and infers the output. */
  infer(spec: S, st: InferState): LayerFacts;
  /**
   * The compute budget's price of one forward pass through it (core/budget.ts): its multiply-adds when absent; a
   * pooling window or an activation counts one per value it reads, though neither multiplies.
   */
  work?(spec: S, facts: LayerFacts): number;
  /** The parameter tensors it owns, in model order (none for most kinds). */
  params?(spec: S): ParamShape[];
  /** Forward on the tape; the tape op it records holds the backward. */
  forward(t: Tape, spec: S, x: Var, ctx: ForwardContext): Var;
  /** The cells of its input (a `grid` H×W map) that a box of its output reads. */
  reads(spec: S, box: Box, grid: Pair): Box;
  /** True when output channel c reads only input channel c (pooling, activations, batch norm…). */
  readonly keepsChannel: boolean;
  /** How the book names a block of this kind in a network's maps, numbered: "conv" → conv1, conv2 (none: its type). */
  readonly blockName?: string;
  /** True for kinds that act value by value after a conv or dense layer and are shown as part of its block. */
  readonly joinsBlockBefore?: boolean;
  /** The pooling it runs, for kinds that pool (a sigmoid before them runs fused with it). */
  poolOptions?(spec: S): Pool2dOptions;
  /** σ-like kinds that can run fused with the pooling after them, as one op (ops/sigmoid-pool.ts). */
  fusedWithPool?(t: Tape, x: Var, pool: Pool2dOptions): { output: Var; first: Tensor };
  /** Why a batch with this layer cannot be split across threads (dropout's one seeded stream), or undefined. */
  readonly splitRefusal?: string;
  /** Channels whose batch statistics a split batch must exchange (batch norm), 0 or absent otherwise. */
  exchangedChannels?(spec: S): number;
  /** The settings the explorer shows. */
  settings(spec: S): LayerSettings;
  /** A short line for the CLI's tables: "conv2d 1→6 5×5 s1×1 p0×0". */
  text(spec: S): string;
  /** Present when architectures may name the kind as a block of its own. */
  readonly block?: LayerBlock<S>;
}

/** A named list of layers inside a container: "body", "shortcut", "branches.2". */
export interface Branch {
  name: string;
  layers: readonly AnySpec[];
}

/** A container kind: nested layer lists whose outputs it joins. */
export interface ContainerKind<S extends AnySpec> {
  readonly type: S['type'];
  readonly container: true;
  readonly description: string;
  /** Reads the layer from plain data; `read` reads a nested list of layers under `name`. */
  fromData(d: Json, fail: (what: string) => never, read: (v: unknown, name: string) => AnySpec[]): S;
  /** Its lists, in model order (paths and parameters follow this order). */
  branches(spec: S): Branch[];
  /** Checks the lists' outputs (each read the container's input `st`) can join, and the joined state. */
  join(spec: S, st: InferState, outs: InferState[]): InferState;
  /** Joins the lists' outputs on the tape. */
  forwardJoin(t: Tape, outs: Var[]): Var;
  /**
   * Walks a reach of its output back to its input: `walk(i, r)` walks list i, `channelsOf(i)` is list i's output
   * channels (to find the list a channel came from).
   */
  back(spec: S, r: Reach, walk: (i: number, r: Reach) => Reach, channelsOf: (i: number) => number): Reach;
  settings(spec: S): LayerSettings;
  text(spec: S): string;
}

export type LayerKind<S extends AnySpec = AnySpec> = LeafKind<S> | ContainerKind<S>;
