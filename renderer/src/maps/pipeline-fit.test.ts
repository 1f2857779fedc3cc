import { describe, expect, it } from 'vitest';
import { fitPipeline, type FitSpace } from './pipeline-fit';

const space = (width: number, height: number): FitSpace => ({
  width,
  height,
  mapGap: 4,
  stageGap: 10,
  stageChrome: { width: 20, height: 60 },
  minStageWidth: 150,
  minCell: 2,
  maxCell: 40,
});

describe('fitPipeline', () => {
  it('draws a lone small map at the largest cell', () => {
    expect(fitPipeline([{ channels: 1, height: 3, width: 3 }], space(800, 600))).toEqual({ cell: 40, columns: [1], fits: true });
  });

  it('fits a 1→4→8→8 stack into a laptop-sized area, every stage at one cell size, channels in a grid', () => {
    const stages = [
      { channels: 1, height: 16, width: 16 },
      { channels: 4, height: 14, width: 14 },
      { channels: 4, height: 14, width: 14 },
      { channels: 8, height: 12, width: 12 },
      { channels: 8, height: 10, width: 10 },
    ];
    const fit = fitPipeline(stages, space(620, 520));
    expect(fit.fits).toBe(true);
    expect(fit.cell).toBeGreaterThanOrEqual(4);
    expect(fit.columns[1]).toBe(2);
    expect(fit.columns[3]).toBeGreaterThan(1);
    // One cell more and it would not fit: the size is the largest that does.
    const bigger = fitPipeline(stages, { ...space(620, 520), maxCell: fit.cell + 1, minCell: fit.cell + 1 });
    expect(bigger.fits).toBe(false);
  });

  it('says when even the smallest cell does not fit, so the pipeline scrolls', () => {
    const fit = fitPipeline([{ channels: 1, height: 128, width: 128 }], space(200, 100));
    expect(fit).toMatchObject({ cell: 2, fits: false });
  });

  it('on a wide, short window draws a 16×16 → 4 → 8 → 8 stack bigger than squares would, each stage as narrow as its row allows', () => {
    // The lab's own stack at 1920×1080 beside the guide: as squares, layer 3 (2×4 maps) made the row so tall that
    // layer 4 wrapped below it, at 7 px a cell.
    const stages = [
      { channels: 1, height: 16, width: 16 },
      { channels: 1, height: 14, width: 14 },
      { channels: 4, height: 12, width: 12 },
      { channels: 8, height: 10, width: 10 },
      { channels: 8, height: 8, width: 8 },
    ];
    const wide = { ...space(1190, 900), stageChrome: { width: 26, height: 70 }, minStageWidth: 210, mapGap: 6 };
    const fit = fitPipeline(stages, wide);
    expect(fit.fits).toBe(true);
    expect(fit.cell).toBeGreaterThanOrEqual(13); // squares: 10
    // Still the largest that fits.
    expect(fitPipeline(stages, { ...wide, minCell: fit.cell + 1, maxCell: fit.cell + 1 }).fits).toBe(false);
  });
});
