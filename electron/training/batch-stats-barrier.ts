/**
 * Synchronised batch norm for a batch split over engine workers: core's BatchStatsExchange over shared memory.
 * Every thread holding a slice (a "member") writes its per-channel sums to its own slot, waits at a barrier for
 * every member, then adds all slots in slice order, so every member gets bit-identical totals whichever thread
 * arrived first. Slots come in two banks used in turn: a member can write the next exchange's sums while a slower
 * one still reads this one's, and cannot reach the one after before every member has passed the next barrier.
 *
 * A barrier needs every member running at once, so these runs give each thread exactly one slice (a thread that
 * claimed two would wait for itself). A member blocked at a barrier stops waiting when another member's slice has
 * failed (the run's FAILED word) or when the team's alarm word is set: a worker of the team has died, so the one
 * it would have met at the barrier never comes. Whoever learns of a death sets the alarm (the engine pool when a
 * worker exits; the leader when a helper's port closes), since the waiting thread's own event loop is blocked.
 */
import type { BatchStatsExchange } from '../../core/ops/batchnorm';
import { CLAIM_WORDS, FAILED } from './chunk-claims';

/** The control words after the claims': how many members have reached the barrier, and how many it has released. */
export const ARRIVED = CLAIM_WORDS, RELEASED = CLAIM_WORDS + 1;
/** Words a split run's control needs, claims and barrier together. */
export const CONTROL_WORDS = CLAIM_WORDS + 2;

/** The message of a run whose team lost a worker (the same as a helper's port closing between steps). */
export const TEAM_LOST = 'an engine worker sharing this run stopped mid-run; the run was stopped';

/** Thrown at a barrier when another member's slice failed: that member's error is the one to report. */
export class SliceAborted extends Error {
  constructor() {
    super("another thread's slice of this batch failed");
  }
}

/** How long a member spins at a barrier before it sleeps (the other core is usually about to arrive). */
const SPIN_MS = 0.05;
/** How long a sleeping member waits before it looks at the alarm again (a death elsewhere notifies nobody here). */
const ALARM_CHECK_MS = 20;

/** Floats per member slot for a net whose widest batch norm has `channels` channels: the forward's three sums a channel and the count (ops/batchnorm.ts). */
export function statsWidth(channels: number): number {
  return 3 * channels + 1;
}

/** Resets the barrier for a new run (a run that failed may have left members counted at it). */
export function openBarrier(control: Int32Array): void {
  Atomics.store(control, ARRIVED, 0);
}

/** Sets the team's alarm: members waiting at a barrier give up with TEAM_LOST (within ALARM_CHECK_MS). */
export function raiseAlarm(alarm: Int32Array): void {
  Atomics.store(alarm, 0, 1);
}

/** Wakes members waiting at the barrier (after setting FAILED, so they look at it now rather than in 20 ms). */
export function wakeBarrier(control: Int32Array): void {
  Atomics.notify(control, RELEASED);
}

/** Waits until all `members` have arrived; throws if a slice failed or the team lost a worker meanwhile. */
export function barrier(control: Int32Array, alarm: Int32Array, members: number): void {
  const released = Atomics.load(control, RELEASED);
  if (Atomics.add(control, ARRIVED, 1) + 1 === members) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, RELEASED, 1);
    Atomics.notify(control, RELEASED);
    return;
  }
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(control, RELEASED) === released) {
    if (Atomics.load(alarm, 0) !== 0) throw new Error(TEAM_LOST);
    if (Atomics.load(control, FAILED) !== 0) throw new SliceAborted();
    if (performance.now() >= spinUntil) Atomics.wait(control, RELEASED, released, ALARM_CHECK_MS);
  }
}

/** One member's exchange for one run: slice `member` of `members`, slots of `width` floats in `slots`' two banks. */
export class SharedBatchStats implements BatchStatsExchange {
  private exchanges = 0;

  constructor(private readonly control: Int32Array, private readonly alarm: Int32Array, private readonly slots: Float64Array,
    private readonly width: number, private readonly member: number, private readonly members: number) {}

  total(sums: Float64Array): Float64Array {
    if (sums.length > this.width) throw new Error(`a batch norm exchange of ${sums.length} sums does not fit its ${this.width}-float slot`);
    const bankSize = this.slots.length / 2, bank = (this.exchanges++ & 1) * bankSize;
    this.slots.set(sums, bank + this.member * this.width);
    barrier(this.control, this.alarm, this.members);
    const totals = this.slots.slice(bank, bank + sums.length);
    for (let m = 1; m < this.members; m++) {
      const at = bank + m * this.width;
      for (let i = 0; i < sums.length; i++) totals[i] += this.slots[at + i];
    }
    return totals;
  }
}
