/**
 * How big the lab's pipeline can draw its maps: one cell size for every stage (so a cell of layer 2 and the input
 * cells it reads are drawn to the same scale), the largest at which every stage, each with its channels in a small
 * grid, wraps into the space available. A pure function of the shapes and the space, so it can be tested.
 */
export interface StageShape {
  channels: number;
  height: number;
  width: number;
}

export interface PipelineFit {
  /** Pixels per map cell. */
  cell: number;
  /** Per stage, how many channel maps sit side by side. */
  columns: number[];
  /** Whether everything fits the space at this size (else the pipeline scrolls). */
  fits: boolean;
}

export interface FitSpace {
  width: number;
  height: number;
  /** Space between two maps of a stage, and between two stages. */
  mapGap: number;
  stageGap: number;
  /** A stage's fixed parts: its header and legend above and below, its padding and border around. */
  stageChrome: { width: number; height: number };
  /** The narrowest a stage may be (its header's buttons must fit). */
  minStageWidth: number;
  minCell: number;
  maxCell: number;
}

interface Box {
  width: number;
  height: number;
  columns: number;
}

function stageBox(stage: StageShape, cell: number, space: FitSpace, maxWidth: number): Box {
  let best: Box | null = null;
  for (let columns = 1; columns <= stage.channels; columns++) {
    const rows = Math.ceil(stage.channels / columns);
    const width = Math.max(space.minStageWidth, columns * stage.width * cell + (columns - 1) * space.mapGap + space.stageChrome.width);
    const height = rows * stage.height * cell + (rows - 1) * space.mapGap + space.stageChrome.height;
    // The arrangement taking the least room (a stage is never narrower than its header, so columns up to that width
    // are free), the squarer of two equal ones, and never wider than the space.
    if (width > maxWidth && best) break;
    const box = { width, height, columns };
    const area = width * height;
    const bestArea = best ? best.width * best.height : Infinity;
    if (!best || area < bestArea - 1 || (area <= bestArea + 1 && Math.max(width, height) < Math.max(best.width, best.height))) best = box;
  }
  return best!;
}

/** Lays the stages out in rows, left to right, wrapping like a flex row; the total height. */
function flowHeight(boxes: Box[], width: number, gap: number): { height: number; widest: number } {
  let height = 0;
  let rowWidth = 0;
  let rowHeight = 0;
  let widest = 0;
  for (const box of boxes) {
    if (rowWidth > 0 && rowWidth + gap + box.width > width) {
      height += rowHeight + gap;
      rowWidth = 0;
      rowHeight = 0;
    }
    rowWidth += (rowWidth > 0 ? gap : 0) + box.width;
    rowHeight = Math.max(rowHeight, box.height);
    widest = Math.max(widest, rowWidth);
  }
  return { height: height + rowHeight, widest };
}

export function fitPipeline(stages: StageShape[], space: FitSpace): PipelineFit {
  let last: Box[] = [];
  for (let cell = space.maxCell; cell >= space.minCell; cell--) {
    const boxes = stages.map((stage) => stageBox(stage, cell, space, space.width));
    last = boxes;
    const flow = flowHeight(boxes, space.width, space.stageGap);
    if (flow.height <= space.height && flow.widest <= space.width) return { cell, columns: boxes.map((b) => b.columns), fits: true };
  }
  return { cell: space.minCell, columns: last.map((b) => b.columns), fits: false };
}
