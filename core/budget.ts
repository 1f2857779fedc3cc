/**
 * The compute budget: what a request will cost, worked out from shapes alone before any work starts, and the
 * refusal when it is above LIMITS.maxMultiplyAdds or LIMITS.maxOutputValues. A refused request costs nothing.
 */
import { ConvLabError } from './errors';
import { LIMITS } from './limits';
import type { LeafKind } from './layers/kind';
import { kindOf, type LayerSpec } from './layers/table';
import { labLayerSpec } from './lab/as-net';
import { checkInputShape } from './lab/stack';
import type { LabLayer } from './lab/types';
import { inputState } from './nets/infer';

type Shape4 = [number, number, number, number];

export interface Cost {
  /** Multiply-adds (a pooling window or an activation counts one per value it reads). */
  multiplyAdds: number;
  /** Values in the answer. */
  outputValues: number;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Multiply-adds of one forward pass through each layer and the shapes of their outputs, from the settings and the
 * weights' shapes alone, never their values: so a request can be priced from its header before its arrays are even
 * decoded (the checks of the values come later, in runStack). Each layer's row of the table prices it.
 */
function layerCosts(input: Shape4, layers: LabLayer[]): { costs: number[]; outputs: number[][] } {
  let st = inputState(checkInputShape(input));
  const costs: number[] = [], outputs: number[][] = [];
  for (const layer of layers) {
    const spec = labLayerSpec(layer);
    const kind = kindOf(spec) as LeafKind<LayerSpec>;
    const facts = kind.infer(spec, st);
    costs.push(kind.work?.(spec, facts) ?? facts.macs);
    outputs.push(facts.out.shape);
    st = facts.out;
  }
  return { costs, outputs };
}

/** forward: every layer once; the answer holds every layer's output. */
export function forwardCost(input: Shape4, layers: LabLayer[]): Cost {
  const { costs, outputs } = layerCosts(input, layers);
  return { multiplyAdds: costs.reduce((a, b) => a + b, 0), outputValues: outputs.reduce((sum, s) => sum + count(s), 0) };
}

/** probe: forward to the layer, then its gradient back to the input (about twice the forward again). */
export function probeCost(input: Shape4, layers: LabLayer[], layer: number): Cost {
  const { costs } = layerCosts(input, layers.slice(0, layer + 1));
  return { multiplyAdds: 3 * costs.reduce((a, b) => a + b, 0), outputValues: count(input) };
}

/** One training step of a single-channel kernel: forward, then the weight gradient (the input gradient is not needed). */
export function trainingStepCost(x: Shape4, kernel: [number, number]): Cost {
  const out = x[2] - kernel[0] + 1;
  const cols = x[3] - kernel[1] + 1;
  return { multiplyAdds: 2 * Math.max(0, out * cols) * x[1] * kernel[0] * kernel[1], outputValues: kernel[0] * kernel[1] * 2 + 4 };
}

/** The loss surface: six forward passes fit its quadratic, then size² cheap evaluations. */
export function lossSurfaceCost(x: Shape4, kernel: [number, number], size: number): Cost {
  const out = Math.max(0, (x[2] - kernel[0] + 1) * (x[3] - kernel[1] + 1));
  return { multiplyAdds: 6 * out * kernel[0] * kernel[1] + size * size * 6, outputValues: size * size };
}

const amount = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toPrecision(3)} billion` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} million` : String(Math.round(n));

/** Refuses a cost above the budget with a message that states the cost and the limit; what is the request's name. */
export function checkBudget(cost: Cost, what: string): void {
  if (cost.multiplyAdds > LIMITS.maxMultiplyAdds) {
    throw new ConvLabError('limit', `${what} needs ${amount(cost.multiplyAdds)} multiply-adds; the limit is ${amount(LIMITS.maxMultiplyAdds)} per request (use fewer channels, layers or a smaller input)`);
  }
  if (cost.outputValues > LIMITS.maxOutputValues) {
    throw new ConvLabError('limit', `${what} would answer ${amount(cost.outputValues)} values; the limit is ${amount(LIMITS.maxOutputValues)} per answer (use fewer channels or layers, or a smaller input)`);
  }
}
