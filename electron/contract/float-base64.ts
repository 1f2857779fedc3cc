/**
 * Float32 values as base64 of their little-endian bytes, the lab file's form of a network's weights: checked,
 * decoded and encoded by plain loops over character codes. A regular expression overflowed V8's stack on a few
 * million characters, and building a binary string for btoa (String.fromCharCode in chunks) took ResNet-18's largest
 * tensor 1.6 s to encode; the loop below takes about a tenth of that.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each letter's 6-bit value by character code, 255 for a character outside the alphabet. */
const SEXTET = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;
const LETTER_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = '='.charCodeAt(0);
/** Float32Array's own byte order; the file's is little-endian on every machine. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const paddingOf = (text: string) => (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);

/** Whether the text is padded base64: whole groups of 4 letters, the last ending in at most two '='. */
export function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const letters = text.length - paddingOf(text);
  for (let i = 0; i < letters; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || SEXTET[code] === 255) return false;
  }
  return true;
}

/** The bytes of padded base64 text (isBase64 has checked it); atob is native and fast, its binary string read once. */
function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** base64 of float32 little-endian bytes → values (isBase64 has checked the text). */
export function decodeFloats(base64: string): Float32Array {
  const bytes = base64Bytes(base64);
  const count = Math.floor(bytes.length / 4);
  if (LITTLE_ENDIAN && bytes.length % 4 === 0) return new Float32Array(bytes.buffer, 0, count);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Values → base64 of their float32 little-endian bytes (the same on every machine). */
export function encodeFloats(values: ArrayLike<number>): string {
  const floats = Float32Array.from(values);
  const bytes = new Uint8Array(floats.buffer);
  if (!LITTLE_ENDIAN) {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < floats.length; i++) view.setFloat32(i * 4, floats[i], true);
  }
  const text = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const group = (bytes[i] << 16) | (rest > 1 ? bytes[i + 1] << 8 : 0) | (rest > 2 ? bytes[i + 2] : 0);
    text[o++] = LETTER_CODES[group >> 18];
    text[o++] = LETTER_CODES[(group >> 12) & 63];
    text[o++] = rest > 1 ? LETTER_CODES[(group >> 6) & 63] : PAD;
    text[o++] = rest > 2 ? LETTER_CODES[group & 63] : PAD;
  }
  // Pure ASCII: decoded as UTF-8, every byte is its own character.
  return new TextDecoder().decode(text);
}
