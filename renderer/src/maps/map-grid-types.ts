/** What a map grid draws over its cells and what it reports of the pointer, so tools and stores need not import the component. */

/** An outline on a map's overlay, in cells, inclusive: a unit's window, its receptive field, the pointed unit. */
export interface OverlayBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
  kind: 'window' | 'field' | 'unit' | 'touched' | 'pinned';
}

/** A pointer event on a map, in cells. */
export interface CellPointer {
  type: 'down' | 'move' | 'up' | 'leave';
  y: number;
  x: number;
  shift: boolean;
  buttons: number;
}
