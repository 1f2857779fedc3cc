/**
 * One ONNX TensorProto into a ModelTensor: its claimed size checked against the limits before anything is allocated,
 * then its values taken from whichever field holds them, their count checked against its dims.
 */
import { ConvLabError } from '../../core/errors';
import { MODEL_LIMITS } from './model-limits';
import type { ModelDtype, ModelTensor, TensorData } from './model-description';
import { DATA_LOCATION_EXTERNAL, DATA_TYPES } from './onnx-schema';
import { type Int64, int64Number } from './int64';

/** A decoded TensorProto, as protobufjs gives it. */
export interface TensorProtoMessage {
  name?: string;
  dims?: Int64[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  doubleData?: number[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}

/** Bytes read so far across a model, so the sum of its tensors stays under a limit too. */
export interface TensorBudget {
  bytes: number;
}

/** Reads an external tensor's bytes: exactly `bytes` of them, or a refusal. */
export type ExternalReader = (entries: Map<string, string>, bytes: number, tensor: string) => Uint8Array;

/** The element type named by ONNX's data_type number, or a refusal naming the tensor. */
export function tensorDtype(dataType: number | undefined, tensor: string): { dtype: ModelDtype; bytes: number } {
  const t = DATA_TYPES[dataType ?? 0];
  if (!t) throw new ConvLabError('format', `tensor '${tensor}' has ONNX data type ${dataType ?? 0}, which ConvLab does not read (it reads ${Object.values(DATA_TYPES).map((d) => d.name).join(', ')})`);
  return { dtype: t.name as ModelDtype, bytes: t.bytes };
}

/** Checks `dims` (whole, ≥ 0, at most MODEL_LIMITS.rank of them) and the bytes they claim against the limits. */
export function checkClaim(dims: number[], elementBytes: number, tensor: string, budget: TensorBudget): number {
  if (dims.length > MODEL_LIMITS.rank) throw new ConvLabError('limit', `tensor '${tensor}' has ${dims.length} dims; ConvLab reads at most ${MODEL_LIMITS.rank}`);
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ConvLabError('format', `tensor '${tensor}' has a dim ${d}; dims must be whole numbers ≥ 0`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = count * elementBytes;
  if (bytes > MODEL_LIMITS.tensorBytes) {
    throw new ConvLabError('limit', `tensor '${tensor}' claims ${formatBytes(bytes)} (dims ${dims.join('×')}); the limit is ${formatBytes(MODEL_LIMITS.tensorBytes)} per tensor`);
  }
  if (budget.bytes + bytes > MODEL_LIMITS.totalTensorBytes) {
    throw new ConvLabError('limit', `tensor '${tensor}' brings the model's tensors to ${formatBytes(budget.bytes + bytes)}; the limit is ${formatBytes(MODEL_LIMITS.totalTensorBytes)}`);
  }
  budget.bytes += bytes;
  return count;
}

/** A byte count for a person: "10 GB", "45.2 MB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${i === 0 ? n : Number(n.toPrecision(3))} ${units[i]}`;
}

/** A ModelTensor from `proto`, read from raw_data, a typed field, or (with `external`) a file beside the model. */
export function tensorFromProto(proto: TensorProtoMessage, tensor: string, budget: TensorBudget, external?: ExternalReader): ModelTensor {
  const { dtype, bytes: size } = tensorDtype(proto.dataType, tensor);
  const dims = (proto.dims ?? []).map(int64Number);
  const count = checkClaim(dims, size, tensor, budget);
  let raw = proto.rawData && proto.rawData.length > 0 ? proto.rawData : undefined;
  if (proto.dataLocation === DATA_LOCATION_EXTERNAL) {
    if (!external) throw new ConvLabError('format', `tensor '${tensor}' keeps its data in an external file, and the model was given without its folder`);
    raw = external(new Map((proto.externalData ?? []).map((e) => [e.key ?? '', e.value ?? ''])), count * size, tensor);
  }
  const mismatch = (found: number, unit: string): ConvLabError =>
    new ConvLabError('shape', `tensor '${tensor}' declares dims ${dims.join('×') || 'scalar'} (${count} values, ${count * size} bytes) but holds ${found} ${unit}`);
  if (raw) {
    if (raw.length !== count * size) throw mismatch(raw.length, 'bytes of raw data');
    return { dims, data: fromRaw(raw, dtype, count) };
  }
  const field = typedField(proto, dtype);
  if (field.length !== count) throw mismatch(field.length, 'values');
  return { dims, data: fromField(field, dtype, count) };
}

function typedField(proto: TensorProtoMessage, dtype: ModelDtype): (number | Int64)[] {
  switch (dtype) {
    case 'float32': return proto.floatData ?? [];
    case 'float64': return proto.doubleData ?? [];
    case 'int64': return proto.int64Data ?? [];
    default: return proto.int32Data ?? []; // int32, the smaller integer types, bool and float16's bits all live here
  }
}

function fromField(field: (number | Int64)[], dtype: ModelDtype, count: number): TensorData {
  if (dtype === 'int64') {
    const out = new BigInt64Array(count);
    for (let i = 0; i < count; i++) out[i] = BigInt(String(field[i]));
    return out;
  }
  if (dtype === 'float16') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(Number(field[i]));
    return out;
  }
  const out = dtype === 'float32' || dtype === 'float64' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Number(field[i]);
  return out;
}

// raw_data is little-endian, as is every machine Electron runs on, so the bytes are copied into place as they are.
function fromRaw(raw: Uint8Array, dtype: ModelDtype, count: number): TensorData {
  const copy = <T extends { buffer: ArrayBufferLike }>(out: T): T => { new Uint8Array(out.buffer).set(raw); return out; };
  switch (dtype) {
    case 'float32': return copy(new Float32Array(count));
    case 'int64': return copy(new BigInt64Array(count));
    case 'int32': return copy(new Int32Array(count));
    case 'float64': return Float32Array.from(copy(new Float64Array(count)));
    case 'float16': return Float32Array.from(copy(new Uint16Array(count)), halfToFloat);
    case 'int16': return Int32Array.from(copy(new Int16Array(count)));
    case 'uint16': return Int32Array.from(copy(new Uint16Array(count)));
    case 'int8': return Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, count));
    default: return Int32Array.from(raw.subarray(0, count)); // uint8, bool
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
