/**
 * The lab's stack as a network of the layer table. The lab keeps each layer's weights inline (a brush stroke's
 * request carries them, a lab file stores them beside their layer, a kernel cell edits them in place); the table's
 * specs are settings only and a network keeps its parameters by path ("0.weight"), so that one spec serves inference,
 * pricing, probing and training. They meet here, once, at the lab's edge: a lab layer is a spec plus the tensors its
 * path owns, and everything behind this file speaks the table's one vocabulary.
 */
import { ConvLabError } from '../errors';
import { activationLayer, avgPoolLayer, conv2dLayer, maxPoolLayer, type LayerSpec } from '../layers';
import type { NetSpec, Params } from '../nets/model';
import type { LabLayer } from './types';

/** The table's spec of a lab layer (shapes come from its weights' shape alone, never their values). */
export function labLayerSpec(layer: LabLayer): LayerSpec {
  if (layer.kind === 'conv') {
    const [cout, cin, kh, kw] = layer.weight.shape;
    return { ...conv2dLayer(cin, cout, [kh, kw], layer.stride, layer.padding), dilation: layer.dilation, flip: layer.flip };
  }
  if (layer.kind === 'pool') {
    return layer.mode === 'max'
      ? maxPoolLayer(layer.kernel, layer.stride, layer.padding)
      : avgPoolLayer(layer.kernel, layer.stride, layer.padding, layer.countIncludePad);
  }
  // The lab's activation layer is named by its function, as the table's rows are.
  if ('fn' in layer) return activationLayer(layer.fn);
  throw new ConvLabError('format', `unknown layer kind '${String((layer as { kind: unknown }).kind)}'`);
}

/** The stack as a NetSpec and its weights as Params by path: the weights are shared, not copied. */
export function labNet(layers: readonly LabLayer[]): { spec: NetSpec; params: Params } {
  const params: Params = new Map();
  layers.forEach((layer, i) => {
    if (layer.kind !== 'conv') return;
    params.set(`${i}.weight`, { shape: [...layer.weight.shape], data: layer.weight.data });
    params.set(`${i}.bias`, { shape: [layer.bias.length], data: layer.bias });
  });
  return { spec: layers.map(labLayerSpec), params };
}
