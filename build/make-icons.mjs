// Draws ConvLab's icon — a feature map on a dark tile, with the amber kernel window sliding over it — at every
// size electron-builder and the window want. Run: node build/make-icons.mjs (writes build/icons/*.png,
// build/icon.png and renderer/public/icon.png). Plain Node: a PNG is a zlib stream with CRCs.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The picture, in unit coordinates (0..1): returns [r, g, b, a] for a point.
const N = 5; // cells per side of the feature map
const VALUES = [
  [0.1, 0.6, 0.9, 0.6, 0.1],
  [0.6, -0.2, -0.7, -0.2, 0.6],
  [0.9, -0.7, -1, -0.7, 0.9],
  [0.6, -0.2, -0.7, -0.2, 0.6],
  [0.1, 0.6, 0.9, 0.6, 0.1],
];
function diverging(v) {
  const mid = [247, 247, 247];
  const end = v < 0 ? [33, 102, 172] : [178, 24, 43];
  const a = Math.min(1, Math.abs(v));
  return mid.map((m, i) => m + (end[i] - m) * a);
}
function roundedInside(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function shade(x, y) {
  if (!roundedInside(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return [0, 0, 0, 0];
  const grid0 = 0.18;
  const grid1 = 0.82;
  const cell = (grid1 - grid0) / N;
  const gap = cell * 0.1;
  // The kernel window: a 3×3 block of cells, outlined in amber.
  const w0 = grid0 + cell * 1 - gap;
  const w1 = grid0 + cell * 4 + gap;
  const thick = cell * 0.16;
  const inWindow = x >= w0 - thick && x <= w1 + thick && y >= w0 - thick - cell && y <= w1 + thick - cell;
  const inWindowInner = x > w0 && x < w1 && y > w0 - cell && y < w1 - cell;
  if (inWindow && !inWindowInner) return [245, 158, 11, 255];
  if (x >= grid0 && x < grid1 && y >= grid0 && y < grid1) {
    const i = Math.floor((y - grid0) / cell);
    const j = Math.floor((x - grid0) / cell);
    const fx = (x - grid0) / cell - j;
    const fy = (y - grid0) / cell - i;
    if (fx > 0.08 && fx < 0.92 && fy > 0.08 && fy < 0.92) return [...diverging(VALUES[i][j]), 255];
  }
  // The tile: deep blue, a little lighter at the top.
  const t = y;
  return [22 + 10 * (1 - t), 34 + 20 * (1 - t), 74 + 40 * (1 - t), 255];
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const ss = 4; // supersampling, for smooth edges at every size
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const [r, g, b, a] = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const o = (py * size + px) * 4;
      const alpha = acc[3] / (ss * ss);
      rgba[o] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
      rgba[o + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
      rgba[o + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
      rgba[o + 3] = Math.round(alpha);
    }
  }
  return png(size, rgba);
}

mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  writeFileSync(join(here, 'icons', `${size}x${size}.png`), render(size));
}
writeFileSync(join(here, 'icon.png'), render(1024));
mkdirSync(join(here, '../renderer/public'), { recursive: true });
writeFileSync(join(here, '../renderer/public/icon.png'), render(256));
