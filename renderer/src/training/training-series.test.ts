import { expect, test } from 'vitest';
import { HISTORY_KEPT, TrainingSeries } from './training-series';
import { isPrinted, logEvery, bookLoss } from './training-log';
import { formatValue } from '../numbers/format';

test('the log prints every 2nd of the book’s 10 iterations, ten lines of a long run, and always the last', () => {
  expect([1, 2, 3, 4, 10].filter((i) => isPrinted(i, 10))).toEqual([2, 4, 10]);
  expect(logEvery(10_000)).toBe(1000);
  expect(isPrinted(7, 7)).toBe(true);
  expect([bookLoss(4.9494), bookLoss(Infinity), bookLoss(NaN)]).toEqual(['4.949', 'inf', 'nan']);
  expect(bookLoss(2 ** 80)).toBe('1208925819614629174706176.000');
  // A diverged weight prints in exponent form, not as a 38-digit "integer".
  expect(formatValue(-4.667549343148671e37)).toBe('-4.667549e+37');
});

test('a short run keeps every iteration in the document; a long one a sample that keeps every printed one', () => {
  const short = new TrainingSeries(10, 2);
  for (let i = 1; i <= 10; i++) short.push(i, 10 / i, [i, -i], 0);
  const h = short.toHistory('done', (i) => isPrinted(i, 10));
  expect(h.at).toBeUndefined();
  expect(h.weights[9]).toEqual([10, -10]);
  expect(TrainingSeries.fromHistory(h, 2).weightAt(9)).toEqual(Float32Array.of(10, -10));

  const long = new TrainingSeries(10_000, 2);
  for (let i = 1; i <= 10_000; i++) long.push(i, 1 / i, [0, 0], 0);
  long.push(10_001, 0, [0, 0], 0);
  expect(long.count).toBe(10_000);
  const kept = long.toHistory('done', (i) => isPrinted(i, 10_000));
  expect(kept.losses.length).toBeLessThanOrEqual(HISTORY_KEPT + 10);
  expect(kept.at).toContain(10_000);
  expect(kept.at).toContain(3000);
  const back = TrainingSeries.fromHistory(kept, 2);
  expect(back.at[back.last]).toBe(10_000);
});
