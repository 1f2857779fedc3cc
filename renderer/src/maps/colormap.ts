/**
 * The lab's one colour scale: diverging around 0 (blue for negative, white for 0, red for positive), symmetric, so
 * the sign of a value is always read the same way in every map, input and kernel alike. Exports always use the light
 * scale (paper is white).
 */
export interface Scale {
  /** Values at ±limit get the full colour. */
  limit: number;
}

export function symmetricScale(data: ArrayLike<number>): Scale {
  let limit = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > limit && Number.isFinite(a)) limit = a;
  }
  return { limit: limit > 0 ? limit : 1 };
}

/** Maps follow the window's theme: on a dark window, zero is a dark grey instead of a bright white slab. */
export type MapTheme = 'light' | 'dark';
type Rgb = [number, number, number];

// Endpoints and centre of the scale (ColorBrewer's RdBu: its darkest ends on light, its brighter ends on dark).
const ENDS: Record<MapTheme, { neg: Rgb; mid: Rgb; pos: Rgb }> = {
  light: { neg: [33, 102, 172], mid: [247, 247, 247], pos: [178, 24, 43] },
  dark: { neg: [67, 147, 195], mid: [40, 44, 52], pos: [214, 96, 77] },
};

/** The colour of a value, as r, g, b in 0..255. */
export function colourOf(value: number, scale: Scale, theme: MapTheme = 'light'): [number, number, number] {
  if (!Number.isFinite(value)) return [255, 0, 255];
  const t = Math.max(-1, Math.min(1, value / scale.limit));
  const { neg: NEG, mid: MID, pos: POS } = ENDS[theme];
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  return [
    Math.round(MID[0] + (end[0] - MID[0]) * a),
    Math.round(MID[1] + (end[1] - MID[1]) * a),
    Math.round(MID[2] + (end[2] - MID[2]) * a),
  ];
}

// The scale as a table of 511 colours (t from −1 to 1), so painting a map does no arithmetic or allocation per cell.
const STEPS = 255;
function table(theme: MapTheme): Uint8ClampedArray {
  const out = new Uint8ClampedArray((2 * STEPS + 1) * 3);
  for (let i = 0; i <= 2 * STEPS; i++) out.set(colourOf((i - STEPS) / STEPS, { limit: 1 }, theme), i * 3);
  return out;
}
const TABLES: Record<MapTheme, Uint8ClampedArray> = { light: table('light'), dark: table('dark') };

/** The same tables as whole RGBA pixels, in the machine's byte order, so a pixel is one store. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const rgba = (r: number, g: number, b: number) => (LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0);
function pixels(theme: MapTheme): Uint32Array {
  const colours = TABLES[theme];
  return Uint32Array.from({ length: 2 * STEPS + 1 }, (_, i) => rgba(colours[i * 3], colours[i * 3 + 1], colours[i * 3 + 2]));
}
const PIXELS: Record<MapTheme, Uint32Array> = { light: pixels('light'), dark: pixels('dark') };
const NOT_FINITE = rgba(255, 0, 255);

/** Fills an RGBA buffer, one pixel per cell; the canvas is scaled up by CSS without smoothing. */
export function paintPixels(data: ArrayLike<number>, scale: Scale, out: Uint8ClampedArray, theme: MapTheme = 'light'): void {
  const k = STEPS / scale.limit;
  const table = PIXELS[theme];
  const length = Math.min(data.length, out.length >> 2);
  const image = out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, length) : null;
  for (let i = 0; i < length; i++) {
    const v = data[i];
    const pixel = v - v === 0 ? table[Math.round(Math.max(-STEPS, Math.min(STEPS, v * k))) + STEPS] : NOT_FINITE;
    if (image) image[i] = pixel;
    else {
      const o = i * 4;
      const [r, g, b] = LITTLE_ENDIAN ? [pixel & 255, (pixel >>> 8) & 255, (pixel >>> 16) & 255] : [pixel >>> 24, (pixel >>> 16) & 255, (pixel >>> 8) & 255];
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
}

/** Whether dark text reads better than light text on this value's colour. */
export function prefersDarkText(value: number, scale: Scale, theme: MapTheme = 'light'): boolean {
  const [r, g, b] = colourOf(value, scale, theme);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140;
}
