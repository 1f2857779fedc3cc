/**
 * Lays buffers out in the WebAssembly module's memory for one call: a bump pointer from the module's heap base,
 * reset per call, growing the memory when a call needs more. Addresses are bytes, 16-aligned, with 64 bytes of
 * slack after each buffer (the kernels' ragged last column group may read a little past a buffer's end).
 */
import type { WasmKernels } from './kernels';

export class Arena {
  /**
   * Resets of every arena so far. Each op's arena starts at the same heap base, so buffers kept across code that
   * may run another op are still theirs only while this count has not moved.
   */
  static resets = 0;
  private top = 0;

  constructor(readonly k: WasmKernels) {
    this.reset();
  }

  /** Forgets every buffer of the previous call. */
  reset(): void {
    this.top = this.k.heapBase();
    Arena.resets++;
  }

  /** The address of a fresh buffer of `floats` float32 values (contents undefined). */
  take(floats: number): number {
    const at = this.top;
    this.top = (at + floats * 4 + 64 + 15) & ~15;
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / 65536));
    return at;
  }

  /** Copies `data` into a fresh buffer and returns its address. */
  put(data: Float32Array): number {
    const at = this.take(data.length);
    new Float32Array(this.k.memory.buffer, at, data.length).set(data);
    return at;
  }

  /** Copies float64 `data` into a fresh buffer and returns its address. */
  putDoubles(data: Float64Array): number {
    const at = this.take(2 * data.length);
    new Float64Array(this.k.memory.buffer, at, data.length).set(data);
    return at;
  }

  /** The float64 values at `at` (a view: valid until the memory next grows). */
  doubles(at: number, count: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, at, count);
  }

  /** The float32 values at `at` (a view: valid until the memory next grows). */
  view(at: number, floats: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, at, floats);
  }
}

let current: Arena | null = null;

/** The arena over `k`'s memory, emptied for a new call: every op lays its call out from the same heap base. */
export function arenaFor(k: WasmKernels): Arena {
  if (current === null || current.k !== k) current = new Arena(k);
  else current.reset();
  return current;
}
