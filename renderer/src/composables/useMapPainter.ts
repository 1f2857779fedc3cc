/**
 * Paints a map on its two canvases: colours on the base (one canvas pixel per cell, scaled up by CSS), outlines and
 * the effective-receptive-field heat on the overlay. New colours are painted as soon as they arrive; the overlay
 * repaints at most once per animation frame, and only when what it shows changed.
 */
import { onBeforeUnmount, onMounted, watch, type ComputedRef, type Ref } from 'vue';
import { colourOf, paintPixels, symmetricScale, type MapTheme, type Scale } from '../maps/colormap';
import type { OverlayBox } from '../maps/map-grid-types';
import { clipBox } from '../maps/clip-box';
import type { MapRevision } from '../maps/map-patches';

export interface PaintedMap {
  data: Float32Array;
  height: number;
  width: number;
  reveal: number | null;
  boxes: OverlayBox[];
  heat: Float32Array | null;
  /** The map's revision when it is patched in place: `data` then changes within the revision's box, not its identity. */
  revision?: (() => MapRevision) | null;
}

const BOX_COLOURS: Record<OverlayBox['kind'], string> = {
  window: '#f59e0b',
  field: '#10b981',
  unit: '#111827',
  touched: '#8b5cf6',
  pinned: '#ec4899',
};

/**
 * Every map that needs painting, painted in one animation frame callback: a forward pass repaints a score of maps at
 * once, and one callback for all of them costs the page far less than one each.
 */
const waiting = new Set<() => void>();
let frame = 0;
function paintNextFrame(paint: () => void): void {
  waiting.add(paint);
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const now = [...waiting];
    waiting.clear();
    for (const each of now) each();
  });
}

export function useMapPainter(
  props: Readonly<PaintedMap>,
  scale: ComputedRef<Scale>,
  cell: ComputedRef<number>,
  base: Ref<HTMLCanvasElement | null>,
  overlay: Ref<HTMLCanvasElement | null>,
  theme: () => MapTheme = () => 'light',
): void {
  const dirty = { base: true, overlay: true };
  function paint(): void {
    if (dirty.base) paintBase();
    if (dirty.overlay) paintOverlay();
    dirty.base = dirty.overlay = false;
  }
  function schedule(what: 'base' | 'overlay' | 'both'): void {
    if (what !== 'overlay') dirty.base = true;
    if (what !== 'base') dirty.overlay = true;
    paintNextFrame(paint);
  }

  let image: ImageData | null = null;
  /** What the base canvas shows: which data at which revision, on which scale and theme. */
  let shown: { data: Float32Array; map: object | null; serial: number; limit: number; theme: MapTheme; reveal: number | null } | null = null;
  /** One canvas pixel per cell: CSS scales it up (pixelated), so a repaint touches only h×w pixels. */
  function paintBase(): void {
    const canvas = base.value;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const { height, width } = props;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    if (!image || image.width !== width || image.height !== height) image = new ImageData(width, height);
    paintPixels(props.data, scale.value, image.data, theme());
    if (props.reveal !== null) {
      for (let i = Math.max(0, props.reveal); i < width * height; i++) image.data[i * 4 + 3] = 0;
    }
    context.putImageData(image, 0, 0);
    const revision = props.revision?.();
    shown = { data: props.data, map: revision?.map ?? null, serial: revision?.serial ?? 0, limit: scale.value.limit, theme: theme(), reveal: props.reveal };
  }

  /**
   * Brings the base canvas up to date with as little painting as it takes: nothing when it shows this already, the
   * patched window alone when the map moved on by one patch in place (same array, scale and theme), else all of it.
   */
  function refreshBase(): void {
    const revision = props.revision?.();
    const canvas = base.value;
    const context = canvas?.getContext('2d');
    const same = shown !== null && image !== null && canvas && context && shown.data === props.data && shown.limit === scale.value.limit
      && shown.theme === theme() && shown.reveal === null && props.reveal === null && canvas.width === props.width && canvas.height === props.height
      && image.width === props.width && image.height === props.height && (revision?.map ?? null) === shown.map;
    if (!same || !shown || !image || !context) return paintBase();
    const serial = revision?.serial ?? 0;
    if (serial === shown.serial) return;
    if (!revision || serial !== shown.serial + 1) return paintBase();
    const { height, width, data } = props;
    const y0 = Math.max(0, revision.box.y0), y1 = Math.min(height - 1, revision.box.y1);
    const x0 = Math.max(0, revision.box.x0), x1 = Math.min(width - 1, revision.box.x1);
    if (y1 >= y0 && x1 >= x0) {
      for (let y = y0; y <= y1; y++) {
        paintPixels(data.subarray(y * width + x0, y * width + x1 + 1), scale.value, image.data.subarray((y * width + x0) * 4, (y * width + x1 + 1) * 4), shown.theme);
      }
      context.putImageData(image, 0, 0, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
    shown.serial = serial;
  }

  let overlayKey = '';
  let heatShown = false;
  function paintOverlay(): void {
    const canvas = overlay.value;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const c = cell.value;
    // Outlines change far less often than data: repaint only when they (or the heat map) really changed.
    const key = `${props.width}x${props.height}@${c}|${JSON.stringify(props.boxes)}`;
    if (key === overlayKey && !props.heat && !heatShown) return;
    overlayKey = key;
    if (canvas.width !== props.width * c || canvas.height !== props.height * c) {
      canvas.width = props.width * c;
      canvas.height = props.height * c;
    } else {
      context.clearRect(0, 0, canvas.width, canvas.height);
    }
    heatShown = !!props.heat;
    if (props.heat) {
      const heatScale = symmetricScale(props.heat);
      for (let i = 0; i < props.heat.length; i++) {
        const v = props.heat[i];
        if (v === 0) continue;
        const [r, g, b] = colourOf(v, heatScale);
        context.fillStyle = `rgba(${r},${g},${b},0.75)`;
        context.fillRect((i % props.width) * c, Math.floor(i / props.width) * c, c, c);
      }
    }
    for (const box of props.boxes) {
      const clipped = clipBox(box, props.height, props.width);
      if (!clipped) continue;
      const { top, left, rows, cols } = clipped;
      context.strokeStyle = BOX_COLOURS[box.kind];
      context.lineWidth = box.kind === 'touched' ? 2 : 3;
      if (box.kind === 'touched') {
        context.fillStyle = 'rgba(139,92,246,0.25)';
        context.fillRect(left * c, top * c, cols * c, rows * c);
      }
      context.strokeRect(left * c + 1.5, top * c + 1.5, cols * c - 3, rows * c - 3);
    }
  }

  // New colours are painted at once, in the task that brought them (a forward pass's answer, a brush step), rather than
  // in the next animation frame: that frame then only composites them, and the paint is off its critical path.
  watch(
    () => [props.data, props.height, props.width, scale.value, props.reveal, theme(), props.revision?.()],
    () => {
      refreshBase();
      dirty.base = !base.value;
      if (dirty.base) paintNextFrame(paint);
    },
  );
  watch(() => [props.boxes, props.heat, cell.value], () => schedule('overlay'));
  onMounted(() => schedule('both'));
  onBeforeUnmount(() => waiting.delete(paint));
}
