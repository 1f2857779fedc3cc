// The table of engine calls read as the host, the pool, the queue and the connection read it.
import { describe, expect, test } from 'vitest';
import { ConvLabError } from '../../core/errors';
import { CALL_NAMES, type RequestOf } from '../contract/contract';
import { readExtras, writeExtras, type WorkerRoom } from './engine-call-entry';
import { createHeldNets } from '../training/held-nets';
import { ENGINE_CALL_NAMES, ENGINE_CALLS, engineCall, HEADER_PRICED_CALLS, headerMultiplyAdds } from './engine-calls';

const conv = (cin: number, cout: number) => ({
  kind: 'conv' as const,
  weight: { shape: [cout, cin, 3, 3] as [number, number, number, number], data: new Float32Array(cout * cin * 9) },
  bias: new Float32Array(cout),
  stride: [1, 1] as [number, number],
  padding: [1, 1] as [number, number],
  dilation: [1, 1] as [number, number],
  flip: false,
});
const forward: RequestOf<'forward'> = { input: { shape: [1, 1, 32, 32], data: new Float32Array(1024) }, layers: [conv(1, 8), conv(8, 8)] };

describe('engine calls', () => {
  test('every entry is a call of the contract, and the calls priced from their header are the lab’s four', () => {
    for (const name of ENGINE_CALL_NAMES) expect(CALL_NAMES).toContain(name);
    expect([...HEADER_PRICED_CALLS].sort()).toEqual(['forward', 'forwardWindows', 'lossSurface', 'probe']);
    expect(engineCall('openLab')).toBeUndefined();
    expect(engineCall('toString')).toBeUndefined();
  });

  test('a header is priced as the queue prices the decoded request; an unknown call or a broken header is not priced', () => {
    const job = ENGINE_CALLS.forward.job(forward);
    expect(job).toMatchObject({ call: 'forward', cost: { multiplyAdds: 32 * 32 * 8 * 9 + 32 * 32 * 8 * 8 * 9 } });
    expect(headerMultiplyAdds('forward', forward)).toBe(job.cost.multiplyAdds);
    expect(headerMultiplyAdds('openLab', forward)).toBeNull();
    expect(headerMultiplyAdds('forward', { input: 'no shape' })).toBeNull();
  });

  test('a newer probe of another unit replaces the older one: its key leaves the unit out', () => {
    const probe = (x: number): RequestOf<'probe'> => ({ input: forward.input, layers: forward.layers, layer: 1, unit: { c: 0, y: 3, x } });
    expect(ENGINE_CALLS.probe.job(probe(1)).key).toBe(ENGINE_CALLS.probe.job(probe(7)).key);
    expect(ENGINE_CALLS.probe.job(probe(1)).key).not.toBe(ENGINE_CALLS.forward.job(forward).key);
  });

  test('a run’s arguments after the request come back in the order its host method takes them', () => {
    const onEvent = () => undefined, team = [] as never[], alarm = new SharedArrayBuffer(4);
    const entry = engineCall('netTrainingStart')!;
    const extras = readExtras(entry, ['/data', onEvent, team, alarm, 'page 2']);
    expect(extras).toEqual({ folder: '/data', onEvent, team, teamAlarm: alarm, owner: 'page 2' });
    expect(writeExtras(entry, extras)).toEqual(['/data', onEvent, team, alarm, 'page 2']);
    // A page's own call without a team: the page comes right after what else it takes.
    expect(readExtras(engineCall('netTrainingLoad')!, [null, 'page 3'])).toEqual({ folder: null, onEvent: undefined, team: [], teamAlarm: undefined, owner: 'page 3' });
    expect(readExtras(engineCall('forward')!, [])).toEqual({ folder: null, onEvent: undefined, team: [], teamAlarm: undefined });
  });

  test('a run asked about in a worker that does not hold it is refused with a ConvLabError naming the run', () => {
    const room = { labRun: null, nets: createHeldNets() } as unknown as WorkerRoom;
    expect(() => ENGINE_CALLS.trainControl.work({ runId: 4, command: 'stop' }, room)).toThrow(new ConvLabError('range', 'training run 4 is not running'));
    expect(() => ENGINE_CALLS.netTrainingSnapshot.work({ runId: 9 }, room)).toThrow('training run 9 has no network to save');
  });
});
