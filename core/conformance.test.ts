import { describe, expect, it } from 'vitest';
import { runConformance } from './conformance';
import { ConvLabError } from './errors';
import { loadReference, loadReference2 } from './test-support/reference';

const copy = () => JSON.parse(JSON.stringify(loadReference())) as Record<string, Record<string, unknown>[]>;

describe('conformance runner', () => {
  it('passes every case of the shared reference file', () => {
    const r = runConformance(loadReference());
    expect(r.results).toHaveLength(97);
    expect(r.results.filter((c) => !c.pass).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect([r.passed, r.failed]).toEqual([97, 0]);
  });

  it('fails a case whose reference value is nudged beyond tolerance, and names the value', () => {
    const ref = copy();
    const out = ref.conv2d[4].output as { data: number[] };
    out.data[3] += 1e-3;
    const r = runConformance(ref);
    const bad = r.results.find((c) => c.id === ref.conv2d[4].id)!;
    expect(bad.pass).toBe(false);
    expect(bad.detail).toMatch(/^output\[3\]: got /);
    expect(r.failed).toBe(1);
  });

  it('fails a wrong receptive-field box and a wrong kernel-learning loss', () => {
    const ref = copy();
    ((ref.receptive_field[14].units as Record<string, Record<string, number>>[])[2].box).bottom = 223;
    (ref.kernel_learning[0].loss as number[])[9] += 1e-3;
    const r = runConformance(ref);
    expect(r.results.filter((c) => !c.pass).map((c) => c.id)).toEqual([ref.kernel_learning[0].id, ref.receptive_field[14].id]);
  });

  it('fails, rather than crashes on, a malformed case or one the engine refuses', () => {
    const ref = copy();
    (ref.pool2d[0].input as { data: number[] }).data.pop();
    ref.conv2d[0].stride = [0, 1];
    const r = runConformance(ref);
    expect(r.results.find((c) => c.id === ref.pool2d[0].id)?.detail).toMatch(/^bad case: input has 8 values/);
    expect(r.results.find((c) => c.id === ref.conv2d[0].id)?.detail).toBe('engine refused: stride must be ≥ 1, got 0');
  });

  it('refuses a file that is not a convlab-reference/1 document', () => {
    expect(() => runConformance([])).toThrow(ConvLabError);
    expect(() => runConformance({ schema: 'other' })).toThrow("reference schema must be 'convlab-reference/1' or 'convlab-reference/2', got \"other\"");
    expect(() => runConformance({ schema: 'convlab-reference/1', seed_cases: [] })).toThrow("reference file has no list 'conv2d'");
  });
});

describe('conformance runner, version 2', () => {
  it('runs every list of reference-2, each under its own tolerance, and reports architectures as skipped without shape inference', () => {
    const r = runConformance(loadReference2());
    expect(r.schema).toBe('convlab-reference/2');
    expect(r.tolerance).toMatchObject({ training: 1e-4, dense: 1e-5, architectures: 0 });
    expect(r.results.filter((c) => !c.pass && c.skipped !== true).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect([r.passed, r.failed, r.skipped]).toEqual([54, 0, 8]);
    expect(r.results.filter((c) => c.skipped).every((c) => c.list === 'architectures' && /shape inference/.test(c.detail ?? ''))).toBe(true);
  });

  it('runs architectures through the runner it is given', () => {
    const r = runConformance(loadReference2(), { architectures: (_c, s) => s.value('parameters', 1, 1) });
    expect([r.passed, r.failed, r.skipped]).toEqual([62, 0, 0]);
  });

  it('refuses a version-2 file without per-list tolerances', () => {
    expect(() => runConformance({ schema: 'convlab-reference/2', tolerance: { scale: 1e-5 } })).toThrow('reference file has no per-list tolerance.scale');
  });
});
