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
    const box = boxFor(stage, cell, space, columns);
    // The arrangement taking the least room (a stage is never narrower than its header, so columns up to that width
    // are free), the squarer of two equal ones, and never wider than the space.
    if (box.width > maxWidth && best) break;
    const area = box.width * box.height;
    const bestArea = best ? best.width * best.height : Infinity;
    if (!best || area < bestArea - 1 || (area <= bestArea + 1 && Math.max(box.width, box.height) < Math.max(best.width, best.height))) best = box;
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

/** The fewest columns that keep a stage within `budget` pixels of height (every channel in one row if none does). */
function stageBoxWithin(stage: StageShape, cell: number, space: FitSpace, budget: number): Box {
  for (let columns = 1; columns <= stage.channels; columns++) {
    const box = boxFor(stage, cell, space, columns);
    if (box.height <= budget) return box;
  }
  return boxFor(stage, cell, space, stage.channels);
}

function boxFor(stage: StageShape, cell: number, space: FitSpace, columns: number): Box {
  const rows = Math.ceil(stage.channels / columns);
  return {
    width: Math.max(space.minStageWidth, columns * stage.width * cell + (columns - 1) * space.mapGap + space.stageChrome.width),
    height: rows * stage.height * cell + (rows - 1) * space.mapGap + space.stageChrome.height,
    columns,
  };
}

/**
 * The arrangements tried at one cell size: each stage at its most compact, and then, for one, two, three… rows of
 * stages, each stage as narrow as that row's share of the height allows. The second kind lets a wide window take
 * the stack in one row of tall stages, and a short one in two rows of flat ones, instead of squares that wrap badly.
 */
function arrangements(stages: StageShape[], cell: number, space: FitSpace): Box[][] {
  const all = [stages.map((stage) => stageBox(stage, cell, space, space.width))];
  for (let rows = 1; rows <= stages.length; rows++) {
    const budget = (space.height - (rows - 1) * space.stageGap) / rows;
    all.push(stages.map((stage) => stageBoxWithin(stage, cell, space, budget)));
  }
  return all;
}

export function fitPipeline(stages: StageShape[], space: FitSpace): PipelineFit {
  for (let cell = space.maxCell; cell >= space.minCell; cell--) {
    for (const boxes of arrangements(stages, cell, space)) {
      const flow = flowHeight(boxes, space.width, space.stageGap);
      if (flow.height <= space.height && flow.widest <= space.width) return { cell, columns: boxes.map((b) => b.columns), fits: true };
    }
  }
  return { cell: space.minCell, columns: stages.map((stage) => stageBox(stage, space.minCell, space, space.width).columns), fits: false };
}
