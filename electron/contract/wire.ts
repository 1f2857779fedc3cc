/**
 * How the browser host's connection carries contract messages: a JSON header plus the raw bytes of every
 * Float32Array, so feature maps cross the socket as binary (as they do over Electron's IPC) instead of as text.
 * Layout: [u32 header length][header JSON, UTF-8][padding to 4 bytes][float32 payloads, back to back].
 */
const TAG = '$f32';

export function encodeMessage(message: unknown): Uint8Array<ArrayBuffer> {
  const arrays: Float32Array[] = [];
  let offset = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Float32Array) {
      arrays.push(value);
      const ref = { [TAG]: [offset, value.length] };
      offset += value.length;
      return ref;
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(header);
  const payloadStart = 4 + Math.ceil(headerBytes.length / 4) * 4;
  const out = new Uint8Array(payloadStart + offset * 4);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  const floats = new Float32Array(out.buffer, payloadStart, offset);
  let at = 0;
  for (const array of arrays) {
    floats.set(array, at);
    at += array.length;
  }
  return out;
}

/**
 * Decodes a message. Arrays come back as views into one float32 copy of the payload; with `owned` (the bytes are
 * the caller's alone, as a browser's WebSocket ArrayBuffer is) and an aligned payload, as views into the bytes
 * themselves, with no copy at all. Never `owned` for Node's Buffers: those may sit in a shared, reused slab.
 */
export function decodeMessage(bytes: Uint8Array, owned = false): unknown {
  if (bytes.byteLength < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error('message header is longer than the message');
  const header = new TextDecoder().decode(bytes.subarray(4, 4 + headerLength));
  const payloadStart = 4 + Math.ceil(headerLength / 4) * 4;
  const payloadFloats = Math.max(0, Math.floor((bytes.byteLength - payloadStart) / 4));
  let payload: Float32Array;
  if (owned && (bytes.byteOffset + payloadStart) % 4 === 0) {
    payload = new Float32Array(bytes.buffer, bytes.byteOffset + payloadStart, payloadFloats);
  } else {
    // Copy once so the floats are aligned whatever the socket's buffer offset was.
    payload = new Float32Array(payloadFloats);
    if (payloadFloats > 0) new Uint8Array(payload.buffer).set(bytes.subarray(payloadStart, payloadStart + payloadFloats * 4));
  }
  return JSON.parse(header, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && TAG in value) {
      const ref = (value as Record<string, unknown>)[TAG];
      if (!Array.isArray(ref) || ref.length !== 2) throw new Error('bad array reference');
      const [start, length] = ref as [number, number];
      if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > payloadFloats) {
        throw new Error('array reference outside the message');
      }
      return payload.subarray(start, start + length);
    }
    return value;
  });
}
