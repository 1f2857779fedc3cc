// The pump's rule: one job in flight, only the newest request waits, and it runs once the one in flight ends.
import { describe, expect, it } from 'vitest';
import { usePump } from './usePump';

/** A run whose jobs end when the test says so. */
function controlled() {
  const started: number[] = [];
  const ends: (() => void)[] = [];
  const run = (job: number) => {
    started.push(job);
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  const finish = async () => {
    ends.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { started, run, finish };
}

describe('usePump', () => {
  it('runs a request at once when nothing is in flight', () => {
    const c = controlled();
    usePump(c.run).request(1);
    expect(c.started).toEqual([1]);
  });

  it('keeps only the newest request while one is in flight, and runs it when that one ends', async () => {
    const c = controlled();
    const pump = usePump(c.run);
    pump.request(1);
    pump.request(2);
    pump.request(3);
    expect(c.started).toEqual([1]);
    expect(pump.waiting()).toBe(3);
    await c.finish();
    expect(c.started).toEqual([1, 3]);
    expect(pump.waiting()).toBeNull();
    await c.finish();
    expect(c.started).toEqual([1, 3]);
  });

  it('retries a job only when nothing newer waits', async () => {
    const c = controlled();
    const pump = usePump(c.run);
    pump.request(1);
    pump.retry(1);
    pump.retry(2);
    expect(pump.waiting()).toBe(1);
    pump.request(4);
    pump.retry(1);
    expect(pump.waiting()).toBe(4);
    await c.finish();
    expect(c.started).toEqual([1, 4]);
  });
});
