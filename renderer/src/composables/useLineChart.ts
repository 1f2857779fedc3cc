/**
 * A chart.js line chart bound to a canvas: created on mount, destroyed on unmount, refreshed at most once per
 * animation frame when its source changes, never animated (the data streams in). Registers only what it uses.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  type ChartConfiguration,
} from 'chart.js';
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend);

export type LineChart = Chart<'line', { x: number; y: number }[]>;

/** Shared options for a streamed chart: prepared {x, y} data, no parsing, no animation. */
export const STREAMING = { animation: false, parsing: false, responsive: true, maintainAspectRatio: false } as const;

/** Colours of successive weights (and the loss, first): distinct, readable on light and dark. */
export const SERIES_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];

export function useLineChart(
  canvas: Ref<HTMLCanvasElement | null>,
  config: () => ChartConfiguration<'line', { x: number; y: number }[]>,
  refresh: (chart: LineChart) => void,
  source: () => unknown,
): { chart: () => LineChart | null; redraw: () => void } {
  let chart: LineChart | null = null;
  let frame = 0;

  function redraw(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!chart) return;
      refresh(chart);
      chart.update('none');
    });
  }

  onMounted(() => {
    if (!canvas.value) return;
    chart = new Chart(canvas.value, config());
    redraw();
  });
  onBeforeUnmount(() => {
    cancelAnimationFrame(frame);
    chart?.destroy();
    chart = null;
  });
  watch(source, redraw);
  // The axis titles are words: a new language rebuilds the options (the data stays), or "迭代" would outlive Chinese.
  const { locale } = useI18n();
  watch(locale, () => {
    if (!chart) return;
    const options = config().options;
    if (options) chart.options = options;
    redraw();
  });
  return { chart: () => chart, redraw };
}
