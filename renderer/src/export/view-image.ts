/**
 * "Export view": the lab as it is on screen, for a teacher's slides — a title, then the input and every layer's
 * channels at the screen's cell size, each stage with its title, shape and colour legend, the numbers written where
 * they fit (the screen's rule), and the receptive-field outlines of the pointed or pinned cell. Drawn as SVG (vector,
 * text stays text) and rasterised from that same SVG to PNG, so both show exactly the same picture.
 */
import { colourOf, type Scale } from '../maps/colormap';
import { formatCell } from '../numbers/format';
import { clipBox } from '../maps/clip-box';
import { cellFontSize, numbersFit, widestNumber } from '../maps/number-cell';

export interface ViewBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
  kind: 'window' | 'field' | 'unit' | 'touched' | 'pinned';
}
export interface ViewMap {
  data: ArrayLike<number>;
  height: number;
  width: number;
  boxes: ViewBox[];
}
export interface ViewStage {
  title: string;
  shape: string;
  maps: ViewMap[];
  columns: number;
  scale: Scale;
}
export interface ViewModel {
  title: string;
  cell: number;
  stages: ViewStage[];
  /** The widest the picture may be before stages wrap to a new row. */
  maxWidth: number;
}

/** The outline colours of the screen (useMapPainter), on paper. */
export const BOX_COLOURS: Record<ViewBox['kind'], string> = {
  window: '#f59e0b',
  field: '#10b981',
  unit: '#111827',
  touched: '#8b5cf6',
  pinned: '#ec4899',
};

const PAD = 16;
const GAP = 12;
const MAP_GAP = 6;
const TITLE = 28;
const STAGE_HEAD = 22;
const LEGEND = 26;
const FONT = 'DejaVu Sans, Noto Sans, Noto Sans CJK SC, Segoe UI, Arial, sans-serif';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;

interface Placed {
  stage: ViewStage;
  x: number;
  y: number;
  width: number;
  height: number;
}

function stageSize(stage: ViewStage, cell: number): { width: number; height: number } {
  const first = stage.maps[0];
  const rows = Math.ceil(stage.maps.length / stage.columns);
  const mapsWidth = stage.columns * first.width * cell + (stage.columns - 1) * MAP_GAP;
  const mapsHeight = rows * first.height * cell + (rows - 1) * MAP_GAP;
  // Wide enough for its title and shape (about 0.62 em a character, CJK about 1 em) and for the legend.
  const textWidth = (text: string, size: number) => [...text].reduce((sum, ch) => sum + (ch.charCodeAt(0) > 0x2e80 ? 1 : 0.62) * size, 0);
  const titleWidth = textWidth(stage.title, 13) + 8 + textWidth(stage.shape, 11);
  return { width: Math.ceil(Math.max(180, mapsWidth, titleWidth)) + 2 * 8, height: STAGE_HEAD + mapsHeight + LEGEND + 8 };
}

/** The picture as an SVG document, with its size in pixels. */
export function viewSvg(model: ViewModel): { svg: string; width: number; height: number } {
  const placed: Placed[] = [];
  let x = PAD;
  let y = PAD + TITLE;
  let rowHeight = 0;
  let width = 0;
  for (const stage of model.stages) {
    const size = stageSize(stage, model.cell);
    if (x > PAD && x + size.width > model.maxWidth - PAD) {
      x = PAD;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    placed.push({ stage, x, y, ...size });
    x += size.width + GAP;
    rowHeight = Math.max(rowHeight, size.height);
    width = Math.max(width, x - GAP + PAD);
  }
  const height = y + rowHeight + PAD;
  width = Math.max(width, 360);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${PAD}" y="${PAD + 16}" font-size="18" font-weight="700" fill="#1f2328">${escape(model.title)}</text>`);
  out.push('<defs><linearGradient id="legend"><stop offset="0" stop-color="rgb(33,102,172)"/><stop offset="0.5" stop-color="rgb(247,247,247)"/><stop offset="1" stop-color="rgb(178,24,43)"/></linearGradient></defs>');
  for (const [index, p] of placed.entries()) out.push(stageSvg(p, model.cell, index));
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}

function stageSvg(p: Placed, cell: number, index: number): string {
  const { stage } = p;
  const parts: string[] = [];
  parts.push(`<g data-stage="${index}">`);
  parts.push(`<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" rx="6" fill="#ffffff" stroke="#d9d9d3"/>`);
  parts.push(
    `<text x="${p.x + 8}" y="${p.y + 16}" font-size="13" font-weight="700" fill="#1f2328">${escape(stage.title)}` +
      `<tspan dx="8" font-size="11" font-weight="400" fill="#5f6670">${escape(stage.shape)}</tspan></text>`,
  );
  const mapsTop = p.y + STAGE_HEAD;
  for (const [c, map] of stage.maps.entries()) {
    const column = c % stage.columns;
    const row = Math.floor(c / stage.columns);
    const left = p.x + 8 + column * (map.width * cell + MAP_GAP);
    const top = mapsTop + row * (map.height * cell + MAP_GAP);
    parts.push(mapSvg(map, stage.scale, cell, left, top, `${index}.${c}`));
  }
  const legendY = p.y + p.height - LEGEND + 6;
  parts.push(`<text x="${p.x + 8}" y="${legendY + 9}" font-size="11" fill="#5f6670">${escape(formatCell(-stage.scale.limit))}</text>`);
  parts.push(`<rect x="${p.x + 48}" y="${legendY + 1}" width="96" height="8" rx="4" fill="url(#legend)" stroke="#d9d9d3"/>`);
  parts.push(`<text x="${p.x + 150}" y="${legendY + 9}" font-size="11" fill="#5f6670">${escape(formatCell(stage.scale.limit))}</text>`);
  parts.push('</g>');
  return parts.join('\n');
}

function mapSvg(map: ViewMap, scale: Scale, cell: number, left: number, top: number, id: string): string {
  const parts: string[] = [`<g data-map="${id}" data-x="${left}" data-y="${top}" data-cell="${cell}">`];
  const writeNumbers = map.height <= 16 && map.width <= 16 && cell >= 20 && numbersFit(widestNumber(map.data), cell);
  const font = cellFontSize(cell);
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const value = map.data[y * map.width + x];
      const colour = colourOf(value, scale);
      parts.push(`<rect x="${left + x * cell}" y="${top + y * cell}" width="${cell}" height="${cell}" fill="${rgb(colour)}"/>`);
      if (writeNumbers) {
        const dark = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2] > 140;
        parts.push(
          `<text x="${left + (x + 0.5) * cell}" y="${top + (y + 0.5) * cell}" font-size="${font.toFixed(1)}" text-anchor="middle" dominant-baseline="central" fill="${dark ? '#111827' : '#f9fafb'}">${escape(formatCell(value))}</text>`,
        );
      }
    }
  }
  parts.push(`<rect x="${left}" y="${top}" width="${map.width * cell}" height="${map.height * cell}" fill="none" stroke="#d9d9d3"/>`);
  for (const box of map.boxes) {
    const clipped = clipBox(box, map.height, map.width);
    if (!clipped) continue;
    const { top: t, left: l, rows, cols } = clipped;
    parts.push(
      `<rect data-box="${box.kind}" x="${left + l * cell + 1.5}" y="${top + t * cell + 1.5}" width="${cols * cell - 3}" height="${rows * cell - 3}" fill="none" stroke="${BOX_COLOURS[box.kind]}" stroke-width="${box.kind === 'touched' ? 2 : 3}"/>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

/** The same picture as PNG: the SVG drawn by the browser's own renderer onto a canvas, at `ratio` pixels per unit. */
export async function viewPng(svg: string, width: number, height: number, ratio = 2): Promise<Uint8Array> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const canvas = new OffscreenCanvas(Math.round(width * ratio), Math.round(height * ratio));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this window cannot draw images');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
