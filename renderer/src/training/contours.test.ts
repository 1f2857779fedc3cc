import { expect, test } from 'vitest';
import { contourSegments, logLevels } from './contours';
import { decimate } from './decimate';

test('contours of a cone are closed rings at the right radius', () => {
  const n = 21;
  const values = Float32Array.from({ length: n * n }, (_, k) => Math.hypot((k % n) - 10, Math.floor(k / n) - 10));
  const segments = contourSegments(values, n, n, 5);
  expect(segments.length).toBeGreaterThan(20);
  for (const [x0, y0] of segments) expect(Math.abs(Math.hypot(x0 - 10, y0 - 10) - 5)).toBeLessThan(0.3);
  expect(contourSegments(values, n, n, 100)).toEqual([]);
  const levels = logLevels(Float32Array.of(0, 1, 10, 100), 3);
  expect(levels).toHaveLength(3);
  expect(levels[0]).toBeGreaterThan(1);
  expect(levels[2]).toBeLessThan(100);
});

test('decimation keeps at most about maxPoints, keeps spikes, skips what a log scale cannot show', () => {
  const ys = Float64Array.from({ length: 10_000 }, (_, t) => (t === 4321 ? 50 : 1 / (t + 1)));
  const out = decimate(ys.length, (t) => t + 1, (t) => ys[t], 1000, []);
  expect(out.length).toBeLessThanOrEqual(1000);
  expect(out.some((p) => p.y === 50)).toBe(true);
  expect(out[0]).toEqual({ x: 1, y: 1 });
  for (let k = 1; k < out.length; k++) expect(out[k].x).toBeGreaterThan(out[k - 1].x);
  const reused = decimate(3, (t) => t, (t) => [1, 0, -1][t], 1000, out, true);
  expect(reused).toBe(out);
  expect(reused).toEqual([{ x: 0, y: 1 }]);
});
