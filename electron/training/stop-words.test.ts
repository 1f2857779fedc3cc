// A run's stop word: set on the main side, read inside the run's batch; its value says why the run stopped.
import { describe, expect, test } from 'vitest';
import { BatchAbandoned, CLOSED_PAGE, createStopWords, REPLACED_BY_RUN, stopWordOf } from './stop-words';

describe('stop words', () => {
  test("a run's word is raised by its id or by its page; the first cause is the one told", () => {
    const words = createStopWords();
    const a = stopWordOf(words.open(1, 'page 1')), b = stopWordOf(words.open(2, 'page 2'));
    expect(a.raised()).toBe(false);
    expect(() => a.check()).not.toThrow();
    words.raiseOwner('page 1', 'replaced-by-run');
    words.raise(1, 'closed');
    expect(a.raised()).toBe(true);
    expect(() => a.check()).toThrow(BatchAbandoned);
    expect(a.reason()).toBe(REPLACED_BY_RUN);
    expect(b.raised()).toBe(false);
    words.raise(2, 'page');
    // The page's own Stop needs no message.
    expect(b.reason()).toBeUndefined();
  });

  test('a closed run is forgotten; a run without a word is never stopped by one', () => {
    const words = createStopWords();
    const c = stopWordOf(words.open(3, ''));
    words.close(3);
    words.raiseOwner('', 'closed');
    expect(c.raised()).toBe(false);
    const none = stopWordOf(undefined);
    expect(none.raised()).toBe(false);
    const closed = stopWordOf(words.open(4, 'page 4'));
    words.raiseOwner('page 4', 'closed');
    expect(closed.reason()).toBe(CLOSED_PAGE);
  });
});
