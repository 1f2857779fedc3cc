/**
 * How the browser host's connection carries contract messages: a JSON header plus the raw bytes of every
 * Float32Array and Uint8Array, so feature maps and files cross the socket as binary (as they do over Electron's IPC)
 * instead of as escaped text. Layout: [u32 header length][header JSON, UTF-8][padding to 4 bytes][payloads, each
 * starting on a multiple of 4 bytes]. An array in the header is { "$f32": [byteOffset, length] } or
 * { "$u8": [byteOffset, length] }, its offset counted from the start of the payloads.
 */
const F32 = '$f32';
const U8 = '$u8';
const align4 = (n: number) => Math.ceil(n / 4) * 4;

export function encodeMessage(message: unknown): Uint8Array<ArrayBuffer> {
  const arrays: Uint8Array[] = [];
  let offset = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
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
  const payloadStart = 4 + align4(headerBytes.length);
  const out = new Uint8Array(payloadStart + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  let at = payloadStart;
  for (const bytes of arrays) {
    out.set(bytes, at);
    at += align4(bytes.byteLength);
  }
  return out;
}

/**
 * Decodes a message. Arrays come back as copies that own their memory; with `owned` (the bytes are the caller's
 * alone, as a browser's WebSocket ArrayBuffer is), as views into the bytes themselves, with no copy at all, where
 * a float array is aligned. Never `owned` for Node's Buffers: those may sit in a shared, reused slab.
 */
export function decodeMessage(bytes: Uint8Array, owned = false): unknown {
  if (bytes.byteLength < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error('message header is longer than the message');
  const header = new TextDecoder().decode(bytes.subarray(4, 4 + headerLength));
  const payload = bytes.subarray(Math.min(bytes.byteLength, 4 + align4(headerLength)));
  return JSON.parse(header, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const tag = F32 in value ? F32 : U8 in value ? U8 : null;
    if (!tag) return value;
    const ref = (value as Record<string, unknown>)[tag];
    if (!Array.isArray(ref) || ref.length !== 2) throw new Error('bad array reference');
    const [start, length] = ref as [number, number];
    const byteLength = tag === F32 ? length * 4 : length;
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start % 4 !== 0 || start + byteLength > payload.byteLength) {
      throw new Error('array reference outside the message');
    }
    const at = payload.byteOffset + start;
    if (owned && (tag === U8 || at % 4 === 0)) {
      return tag === F32 ? new Float32Array(payload.buffer, at, length) : payload.subarray(start, start + byteLength);
    }
    // A copy, so the array is aligned and owns its memory whatever the socket's buffer was.
    const copy = payload.slice(start, start + byteLength);
    return tag === F32 ? new Float32Array(copy.buffer, 0, length) : copy;
  });
}
