/**
 * The lab's stack as a network of the layer table. A lab layer is already a spec of the table, with the tensors the
 * lab edits inline (a brush stroke's request carries them, a lab file stores them beside their layer, a kernel cell
 * edits them in place); a network keeps its parameters by path ("0.weight") instead, so that one spec serves
 * inference, pricing, probing and training. They part here, once, at the lab's edge.
 */
import type { LayerSpec } from '../layers';
import type { NetSpec, Params } from '../nets/model';
import type { LabLayer } from './types';

/** The table's spec of a lab layer: the layer without its inline tensors (its shapes are in the spec already). */
export function labLayerSpec(layer: LabLayer): LayerSpec {
  if (!('weight' in layer)) return layer;
  const { weight: _weight, bias: _bias, ...spec } = layer;
  return spec;
}

/** The stack as a NetSpec and its weights as Params by path: the weights are shared, not copied. */
export function labNet(layers: readonly LabLayer[]): { spec: NetSpec; params: Params } {
  const params: Params = new Map();
  layers.forEach((layer, i) => {
    if (!('weight' in layer)) return;
    params.set(`${i}.weight`, { shape: [...layer.weight.shape], data: layer.weight.data });
    params.set(`${i}.bias`, { shape: [layer.bias.length], data: layer.bias });
  });
  return { spec: layers.map(labLayerSpec), params };
}
