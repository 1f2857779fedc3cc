/** Graph inputs, outputs and value_info: a ValueInfoProto's element type and shape, symbolic dims fixed to 1. */
import { ConvLabError } from '../../core/errors';
import type { ModelDtype, ModelValue, ResolvedDim } from './model-description';
import { type Int64, int64Number } from './int64';
import { MODEL_LIMITS } from './model-limits';
import { printableName } from './printable-name';
import { tensorDtype } from './tensor-proto';

/** A decoded ValueInfoProto, as protobufjs gives it. */
export interface ValueInfoMessage {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: Int64; dimParam?: string }[] } } };
}

/** The dims of `info`, symbolic ones as their param name ('?' when unnamed); null when the file states no shape. */
function statedDims(info: ValueInfoMessage): (number | string)[] | null {
  const shape = info.type?.tensorType?.shape;
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && !d.dimParam ? int64Number(d.dimValue) : printableName(d.dimParam || '?')));
}

function dtypeOf(info: ValueInfoMessage, name: string): ModelDtype {
  const tensor = info.type?.tensorType;
  if (!tensor) throw new ConvLabError('format', `graph value '${name}' is not a tensor; ConvLab reads tensor inputs and outputs only`);
  return tensorDtype(tensor.elemType, name).dtype;
}

/** A graph input: every dim stated, symbolic ones (a batch size, say) fixed to 1 and listed in `resolved`. */
export function graphInput(info: ValueInfoMessage): ModelValue {
  const name = printableName(info.name ?? '');
  const dims = statedDims(info);
  if (dims === null) throw new ConvLabError('format', `graph input '${name}' states no shape; ConvLab needs every input's shape`);
  if (dims.length > MODEL_LIMITS.rank) throw new ConvLabError('limit', `graph input '${name}' has ${dims.length} dims; ConvLab reads at most ${MODEL_LIMITS.rank}`);
  const resolved: ResolvedDim[] = [];
  const shape = dims.map((d, axis) => {
    if (typeof d === 'number') {
      if (d < 1) throw new ConvLabError('format', `graph input '${name}' has dim ${d} on axis ${axis}; dims must be ≥ 1`);
      return d;
    }
    resolved.push({ axis, param: d });
    return 1;
  });
  return { name, shape, dtype: dtypeOf(info, name), resolved };
}

/** A graph output or value_info entry; its shape where every dim is known or is a param the inputs fixed to 1. */
export function graphValue(info: ValueInfoMessage, fixedParams: ReadonlySet<string>): ModelValue {
  const name = printableName(info.name ?? '');
  const dims = statedDims(info);
  const known = dims?.every((d) => typeof d === 'number' || fixedParams.has(d)) ?? false;
  const shape = known && dims ? dims.map((d) => (typeof d === 'number' ? d : 1)) : null;
  return { name, shape, dtype: info.type?.tensorType ? dtypeOf(info, name) : 'float32', resolved: [] };
}
