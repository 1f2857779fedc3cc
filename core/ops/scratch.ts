/**
 * Reused scratch buffers for the conv hot path: one growable Float64Array per slot, so steady-state calls allocate
 * nothing. Safe because the engine is synchronous and no op calls another while holding a slot.
 */

const slots: Float64Array[] = [];

/** Named slots; each use site owns one so nested helpers never share. */
export const SLOT = { packA: 0, packB: 1, block: 2, weights: 3, accum: 4 } as const;

/** A Float64Array of at least `n` values for `slot` (contents undefined). */
export function scratch(slot: number, n: number): Float64Array {
  const s = slots[slot];
  if (s !== undefined && s.length >= n) return s;
  // Grow by half again so a run of slightly larger calls does not reallocate every time.
  const grown = new Float64Array(Math.max(n, Math.ceil((s?.length ?? 0) * 1.5)));
  slots[slot] = grown;
  return grown;
}
