/**
 * When the person last pointed or typed: the start of the stroke-to-frame measure is the input event's own time
 * stamp (when the browser received it), not the moment the page got round to handling it, which Chromium holds
 * back to the next frame for pointer moves.
 */
let latest = { stamp: 0, seen: Number.NEGATIVE_INFINITY };
const watched = new WeakSet<EventTarget>();

/** Notes the time stamp of every pointer and key event on `target` (once each; capture phase, so nothing hides one). */
export function watchInput(target: EventTarget | undefined = typeof window === 'undefined' ? undefined : window): void {
  if (!target || watched.has(target)) return;
  watched.add(target);
  const note = (event: Event) => {
    latest = { stamp: event.timeStamp, seen: performance.now() };
  };
  for (const type of ['pointerdown', 'pointermove', 'pointerrawupdate', 'keydown']) target.addEventListener(type, note, { capture: true, passive: true });
}

/** How recent an event must be to stand for an edit made now; older, the edit is timed from now (a timer, a file). */
const RECENT_MS = 100;

/**
 * The time of the input event that caused an edit being made now. Errs long, never short: an edit from a timer just
 * after a pointer move is timed from that move.
 */
export function inputTime(): number {
  const now = performance.now();
  return now - latest.seen <= RECENT_MS ? Math.min(latest.stamp, now) : now;
}
