import { describe, expect, it } from 'vitest';
import { inputTime, watchInput } from './input-clock';

describe('the time of the input event behind an edit', () => {
  it('is the event\'s own time stamp when an edit follows a pointer move, and never later than now', () => {
    const page = new EventTarget();
    watchInput(page);
    const move = new Event('pointermove');
    const received = move.timeStamp;
    // The page handles the move a little after the browser received it (Chromium holds moves to a frame's start).
    const start = performance.now();
    while (performance.now() - start < 5) {
      // wait
    }
    page.dispatchEvent(move);
    const stamp = inputTime();
    expect(stamp).toBe(received);
    expect(stamp).toBeLessThan(performance.now() - 4);
  });

  it('follows the latest of pointer, raw pointer and key events', () => {
    const page = new EventTarget();
    watchInput(page);
    for (const type of ['pointerdown', 'pointerrawupdate', 'keydown']) {
      const event = new Event(type);
      page.dispatchEvent(event);
      expect(inputTime()).toBe(event.timeStamp);
    }
  });

  it('is now for an edit long after the last event (a timer, a file opened)', async () => {
    const page = new EventTarget();
    watchInput(page);
    page.dispatchEvent(new Event('pointermove'));
    await new Promise((done) => setTimeout(done, 150));
    const before = performance.now();
    const stamp = inputTime();
    expect(stamp).toBeGreaterThanOrEqual(before);
  });
});
