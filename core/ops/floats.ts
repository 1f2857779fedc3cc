/**
 * Float32Arrays the ops allocate (outputs, gradients), reused from one training step to the next. A step of a
 * LeNet on 256 images makes tens of megabytes of activations and gradients that die when it ends; allocated fresh
 * each time they cost a zero-fill from the system and, worse, the garbage collector's full collections (large
 * ArrayBuffers count as external memory), which on two threads at once took a core's worth of extra time.
 * Inside recycling(fn), floats(n) takes an array of that length left by an earlier recycling call, and every
 * array taken inside goes back when fn returns: fn must let none of them escape (copy out what it keeps).
 * Outside recycling, floats(n) is simply new Float32Array(n). The engine is synchronous, so one scope at a time.
 */

/** Arrays left by ended scopes, by length. */
const free = new Map<number, Float32Array<ArrayBuffer>[]>();
let freeBytes = 0;
/** Beyond this, arrays handed back are dropped rather than kept (a few steps' worth of the book's networks). */
const MAX_FREE_BYTES = 256 * 2 ** 20;

let taken: Float32Array<ArrayBuffer>[] | null = null;

/**
 * A Float32Array of `n` values (reused inside recycling, fresh outside), zero-filled unless `zeroed` is false: a
 * caller that overwrites every value (a result copied out of WebAssembly memory) skips the fill; a reused array
 * then holds an earlier step's values until it does.
 */
export function floats(n: number, zeroed = true): Float32Array<ArrayBuffer> {
  const reused = taken === null ? undefined : free.get(n)?.pop();
  if (reused !== undefined) {
    freeBytes -= reused.byteLength;
    if (zeroed) reused.fill(0);
    taken!.push(reused);
    return reused;
  }
  const fresh = n <= SMALL_FLOATS ? fromSlab(n) : new Float32Array(n);
  taken?.push(fresh);
  return fresh;
}

/**
 * Arrays up to SMALL_FLOATS long are views into a shared slab of SLAB_FLOATS, handed out in turn and never reused
 * (so still zero): a typed array over 64 bytes gets a backing store of its own outside the JavaScript heap, whose
 * allocation and collection cost more than S1's whole convolution (measured: 39 % of its call, and another 10 % in
 * the collector). A slab lives while any of its views does. Whoever sends such an array to another thread must copy
 * or clone it, not transfer its buffer (inSlab tells them).
 */
const SMALL_FLOATS = 64, SLAB_FLOATS = 1024;
let slab = new Float32Array(0);
let slabTop = 0;
const slabs = new WeakSet<ArrayBufferLike>();

/** Whether `a` is a view into a slab that other small arrays share (so its buffer must not be transferred). */
export function inSlab(a: Float32Array): boolean {
  return slabs.has(a.buffer);
}

function fromSlab(n: number): Float32Array<ArrayBuffer> {
  if (slabTop + n > slab.length) {
    slab = new Float32Array(SLAB_FLOATS);
    slabs.add(slab.buffer);
    slabTop = 0;
  }
  const view = slab.subarray(slabTop, slabTop + n);
  slabTop += n;
  return view;
}

/**
 * Runs `fn`, then hands every array floats() gave out during it back for reuse. Nested calls run inside the
 * outermost scope. Whatever `fn` returns must not hold those arrays.
 */
export function recycling<T>(fn: () => T): T {
  if (taken !== null) return fn();
  const mine: Float32Array<ArrayBuffer>[] = [];
  taken = mine;
  try {
    return fn();
  } finally {
    taken = null;
    for (const a of mine) {
      // An array given away meanwhile (transferred to another thread) has no memory left to reuse.
      if (a.byteLength === 0 || freeBytes + a.byteLength > MAX_FREE_BYTES) continue;
      let list = free.get(a.length);
      if (list === undefined) free.set(a.length, (list = []));
      list.push(a);
      freeBytes += a.byteLength;
    }
  }
}

/** Drops every kept array (a run that has ended lets its memory go). */
export function releaseRecycled(): void {
  free.clear();
  freeBytes = 0;
}
