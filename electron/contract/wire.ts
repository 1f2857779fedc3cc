/**
 * How the browser host's connection carries contract messages: a JSON header plus the raw bytes of every
 * Float32Array and Uint8Array, so feature maps and files cross the socket as binary (as they do over Electron's IPC)
 * instead of as escaped text. Layout: [u32 header length][header JSON, UTF-8][padding to 4 bytes][payloads, each
 * starting on a multiple of 4 bytes]. An array in the header is { "$f32": [byteOffset, length] } or
 * { "$u8": [byteOffset, length] }, its offset counted from the start of the payloads.
 *
 * Deltas: a page redraws its maps after every brush step, and most of every map is what it was. When both ends keep a
 * DeltaBase (the last values sent of each Float32Array, by its order in the message: its slot), an array is sent
 * whole as { "$f32": [byteOffset, length, slot] } or, when few of its elements changed since that slot was last sent,
 * as { "$f32Δ": [slot, byteOffset, length, [start, count, start, count, …]] }: only the changed runs, the rest taken
 * from the base. Changes are found bit for bit (so -0 and NaN are exact), and both ends update their base as they go.
 *
 * Long text (a lab file's JSON, sent or answered) travels as its UTF-8 bytes too, { "$str": [byteOffset, byteLength] }:
 * escaping its every quote into the header took a 30 MB lab's answer a third of a second of the host's main thread.
 */
const F32 = '$f32';
const U8 = '$u8';
const STR = '$str';
/** Text longer than this goes as bytes beside the header; shorter, escaping it costs less than the reference. */
const LONG_TEXT = 64 * 1024;
const align4 = (n: number) => Math.ceil(n / 4) * 4;

const F32_DELTA = '$f32Δ';
/** The last values sent of each Float32Array slot, kept identically by the encoding end and the decoding end. */
export type DeltaBase = Float32Array[];
/** Runs closer than this many unchanged elements are merged: fewer runs in the header, a few floats more. */
const MERGE_GAP = 16;
/** Past these, the delta is no smaller than the array: it is sent whole. */
const MAX_RUNS = 2048;

/** The runs [start, count, …] where `now` differs from `before` bit for bit, or null when sending it whole is as cheap. */
export function changedRuns(before: Float32Array, now: Float32Array): number[] | null {
  if (before.length !== now.length) return null;
  const a = new Int32Array(before.buffer, before.byteOffset, before.length);
  const b = new Int32Array(now.buffer, now.byteOffset, now.length);
  const runs: number[] = [];
  let changed = 0;
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i]) continue;
    const start = i;
    let end = i + 1;
    for (let j = end; j < b.length && j - end < MERGE_GAP; j++) if (a[j] !== b[j]) end = j + 1;
    runs.push(start, end - start);
    changed += end - start;
    if (runs.length > 2 * MAX_RUNS || changed * 2 > b.length) return null;
    i = end - 1;
  }
  return runs;
}

/** Encodes a message; with a base (the host's answers to a page that asked for deltas), Float32Arrays as deltas. */
export function encodeMessage(message: unknown, base?: DeltaBase): Uint8Array<ArrayBuffer> {
  return joinParts(encodeParts(message, base));
}

/** encodeParts' pieces as one message. */
export function joinParts(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * The same bytes as encodeMessage, as pieces to send one after another: the header block, then each array's own
 * bytes (views, not copies) and any padding. A large answer then goes out without being copied into one buffer.
 */
export function encodeParts(message: unknown, base?: DeltaBase): Uint8Array[] {
  const arrays: Uint8Array[] = [];
  let offset = 0;
  let slot = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
    if (base && value instanceof Float32Array) {
      const at = slot++;
      const before = base[at];
      const runs = before ? changedRuns(before, value) : null;
      if (!runs) {
        base[at] = value.slice();
        arrays.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        const ref = { [F32]: [offset, value.length, at] };
        offset += value.byteLength;
        return ref;
      }
      let count = 0;
      for (let r = 1; r < runs.length; r += 2) count += runs[r];
      const changed = new Float32Array(count);
      for (let r = 0, k = 0; r < runs.length; r += 2) {
        const part = value.subarray(runs[r], runs[r] + runs[r + 1]);
        changed.set(part, k);
        before.set(part, runs[r]);
        k += runs[r + 1];
      }
      arrays.push(new Uint8Array(changed.buffer));
      const ref = { [F32_DELTA]: [at, offset, value.length, runs] };
      offset += changed.byteLength;
      return ref;
    }
    if (typeof value === 'string' && value.length > LONG_TEXT) {
      const bytes = new TextEncoder().encode(value);
      const ref = { [STR]: [offset, bytes.byteLength] };
      arrays.push(bytes);
      offset += align4(bytes.byteLength);
      return ref;
    }
    if (value instanceof Float32Array || value instanceof Uint8Array) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      const ref = { [value instanceof Float32Array ? F32 : U8]: [offset, value.length] };
      arrays.push(bytes);
      offset += align4(bytes.byteLength);
      return ref;
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(header);
  const head = new Uint8Array(4 + align4(headerBytes.length));
  new DataView(head.buffer).setUint32(0, headerBytes.length, true);
  head.set(headerBytes, 4);
  const parts: Uint8Array[] = [head];
  for (const bytes of arrays) {
    parts.push(bytes);
    const padding = align4(bytes.byteLength) - bytes.byteLength;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  return parts;
}

/**
 * Decodes a message. Arrays come back as copies that own their memory; with `owned` (the bytes are the caller's
 * alone, as a browser's WebSocket ArrayBuffer is), as views into the bytes themselves, with no copy at all, where
 * a float array is aligned. Never `owned` for Node's Buffers: those may sit in a shared, reused slab. Only a decoder
 * given a base reads arrays with slots (deltas); without one, they are bad references.
 */
export function decodeMessage(bytes: Uint8Array, owned = false, base?: DeltaBase): unknown {
  if (bytes.byteLength < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error('message header is longer than the message');
  const header = new TextDecoder().decode(bytes.subarray(4, 4 + headerLength));
  const payload = bytes.subarray(Math.min(bytes.byteLength, 4 + align4(headerLength)));
  return JSON.parse(header, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    if (base && F32_DELTA in value) return applyDelta((value as Record<string, unknown>)[F32_DELTA], payload, base);
    if (STR in value) return textAt((value as Record<string, unknown>)[STR], payload);
    const tag = F32 in value ? F32 : U8 in value ? U8 : null;
    if (!tag) return value;
    const ref = (value as Record<string, unknown>)[tag];
    const slotted = base && tag === F32 && Array.isArray(ref) && ref.length === 3;
    if (!Array.isArray(ref) || (ref.length !== 2 && !slotted)) throw new Error('bad array reference');
    const [start, length, slot] = ref as [number, number, number?];
    if (slotted && !isSlot(slot)) throw new Error('bad array reference');
    const byteLength = tag === F32 ? length * 4 : length;
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start % 4 !== 0 || start + byteLength > payload.byteLength) {
      throw new Error('array reference outside the message');
    }
    const at = payload.byteOffset + start;
    if (slotted) {
      const copy = new Float32Array(payload.slice(start, start + byteLength).buffer);
      base[slot!] = copy;
      // The base keeps its own values: what the caller is handed may be changed by it.
      return owned && at % 4 === 0 ? new Float32Array(payload.buffer, at, length) : copy.slice();
    }
    if (owned && (tag === U8 || at % 4 === 0)) {
      return tag === F32 ? new Float32Array(payload.buffer, at, length) : payload.subarray(start, start + byteLength);
    }
    // A copy, so the array is aligned and owns its memory whatever the socket's buffer was.
    const copy = payload.slice(start, start + byteLength);
    return tag === F32 ? new Float32Array(copy.buffer, 0, length) : copy;
  });
}

/** Long text sent as its UTF-8 bytes. */
function textAt(ref: unknown, payload: Uint8Array): string {
  if (!Array.isArray(ref) || ref.length !== 2) throw new Error('bad text reference');
  const [start, byteLength] = ref as [unknown, unknown];
  if (!Number.isInteger(start) || !Number.isInteger(byteLength) || (start as number) < 0 || (byteLength as number) < 0 || (start as number) + (byteLength as number) > payload.byteLength) {
    throw new Error('text reference outside the message');
  }
  return new TextDecoder().decode(payload.subarray(start as number, (start as number) + (byteLength as number)));
}

const isSlot = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 1 << 16;

/** An array sent as its changed runs: the base's values with those runs replaced (in the base too). */
function applyDelta(ref: unknown, payload: Uint8Array, base: DeltaBase): Float32Array {
  if (!Array.isArray(ref) || ref.length !== 4) throw new Error('bad delta reference');
  const [slot, start, length, runs] = ref as [unknown, unknown, unknown, unknown];
  const before = isSlot(slot) ? base[slot] : undefined;
  if (!before || before.length !== length) throw new Error('a delta refers to an array this page does not have');
  if (!Number.isInteger(start) || (start as number) < 0 || (start as number) % 4 !== 0 || !Array.isArray(runs) || runs.length % 2 !== 0) {
    throw new Error('bad delta reference');
  }
  let k = (payload.byteOffset + (start as number)) / 4;
  let total = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const [from, count] = [runs[r] as unknown, runs[r + 1] as unknown];
    if (!Number.isInteger(from) || !Number.isInteger(count) || (from as number) < 0 || (count as number) < 0 || (from as number) + (count as number) > before.length) {
      throw new Error('bad delta reference');
    }
    total += count as number;
  }
  if ((start as number) + total * 4 > payload.byteLength) throw new Error('array reference outside the message');
  // The payload may sit at any 4-byte offset of its buffer: read it through a view of the whole buffer.
  const floats = (payload.byteOffset % 4 === 0 ? new Float32Array(payload.buffer, 0, (payload.byteOffset + payload.byteLength) >> 2) : new Float32Array(payload.slice().buffer));
  if (payload.byteOffset % 4 !== 0) k = (start as number) / 4;
  for (let r = 0; r < runs.length; r += 2) {
    const from = runs[r] as number;
    const count = runs[r + 1] as number;
    before.set(floats.subarray(k, k + count), from);
    k += count;
  }
  return before.slice();
}
