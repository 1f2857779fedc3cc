/**
 * The lab's maps as the page keeps them between brush steps: the host answers a forward pass with the windows that
 * changed since the maps this page holds (their state), and this patches them in. An answer for other maps than the
 * ones held, or a window that does not fit them, is refused (nothing changed): the page then asks for every map again.
 * Windows are patched into the held maps' own arrays, which stay the same objects: no copy of a whole map per brush
 * step, and nothing on the page that shows a map is rendered again for it. Each map's revision (a reactive signal:
 * which patch it is at and where that patch changed it) tells what does need redoing: its canvases repaint only that
 * window, and the cells, scale and numbers shown from it are read again.
 */
import { shallowRef, type ShallowRef } from 'vue';
import { applyWindows, isEmptyBox, type ChangedBox } from '../../../electron/contract/core-exports';
import type { ForwardWindowsResponse, MapData } from '../../../electron/contract/contract';

/** Maps and the state the host named them by (null: the host did not keep them; the next answer is whole). */
export interface HeldMaps {
  state: string | null;
  maps: MapData[];
}

/** Map `map` after its `serial`-th patch, which changed `box` (serial 0: as it arrived whole). */
export interface MapRevision {
  map: MapData;
  serial: number;
  box: ChangedBox;
}

const revisions = new WeakMap<MapData, ShallowRef<MapRevision>>();

/** The revision of `map`: reading it in a computed, watcher or render makes that run again when the map is patched. */
export function revisionOf(map: MapData): MapRevision {
  let found = revisions.get(map);
  if (!found) {
    found = shallowRef({ map, serial: 0, box: { y0: 0, y1: -1, x0: 0, x1: -1 } });
    revisions.set(map, found);
  }
  return found.value;
}

/** The maps an answer gives, from the ones `held`; a sentence saying why not when it does not fit them. */
export function takeAnswer(held: HeldMaps | null, answer: ForwardWindowsResponse): HeldMaps | string {
  if (answer.outputs) return { state: answer.state, maps: answer.outputs };
  if (!held || held.state === null || answer.since !== held.state) {
    return `the maps' update is for maps this page does not have (${String(answer.since)}, not ${String(held?.state ?? null)})`;
  }
  if (!Array.isArray(answer.windows)) return 'the maps\' update has no windows';
  let boxes: ChangedBox[];
  try {
    boxes = applyWindows(held.maps, answer.windows);
  } catch (error) {
    return (error as Error).message;
  }
  held.maps.forEach((map, i) => {
    if (isEmptyBox(boxes[i])) return;
    revisionOf(map);
    const revision = revisions.get(map)!;
    revision.value = { map, serial: revision.value.serial + 1, box: boxes[i] };
  });
  return { state: answer.state, maps: held.maps };
}
