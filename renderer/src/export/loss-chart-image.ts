/**
 * The loss chart as a PNG file: drawn by chart.js on a canvas of its own (not the one on screen, which may be
 * hidden, small or mid-run), on white, at a fixed size, so an exported chart looks the same whoever exports it.
 */
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Title);

export interface LossChartText {
  title: string;
  iteration: string;
  loss: string;
}

export const LOSS_CHART_SIZE = { width: 1200, height: 700 } as const;

/** losses[k] belongs to iteration at[k] (or k + 1 when every iteration was kept). */
export async function lossChartPng(losses: readonly number[], at: readonly number[] | undefined, text: LossChartText): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = LOSS_CHART_SIZE.width;
  canvas.height = LOSS_CHART_SIZE.height;
  const points = losses.map((y, k) => ({ x: at?.[k] ?? k + 1, y }));
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ data: points, borderColor: '#2563eb', borderWidth: 2, pointRadius: points.length <= 30 ? 3 : 0 }] },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      parsing: false,
      plugins: { title: { display: true, text: text.title, font: { size: 20 } }, legend: { display: false } },
      scales: {
        x: { type: 'linear', title: { display: true, text: text.iteration } },
        y: { type: 'linear', title: { display: true, text: text.loss } },
      },
    },
    plugins: [
      {
        id: 'white-background',
        beforeDraw: (c) => {
          c.ctx.save();
          c.ctx.fillStyle = '#ffffff';
          c.ctx.fillRect(0, 0, c.width, c.height);
          c.ctx.restore();
        },
      },
    ],
  });
  try {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the chart could not be encoded as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    chart.destroy();
  }
}
