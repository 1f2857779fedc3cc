/**
 * A network run's stop word: one Int32 in shared memory that the main side sets the moment a run is to stop (its
 * page's Stop, a newer run of the same page, the page closing), read by the run inside its batch, between layers.
 * A Stop message waits behind the batch under way (the worker's event loop is busy with it: 11–22 s for GoogLeNet ÷1
 * at batch 1024); the word is seen within a layer. Its value says why, which the run's 'stopped' event carries when
 * it was not the page's own Stop. (A net opened from a lab replaces the page's run by message, once it is built.)
 */

/** Why a run was stopped by its own page's newer run, or by a net its page opened, or its page closing. */
export const REPLACED_BY_RUN = 'stopped because this page started a new training run';
export const REPLACED_BY_LOAD = 'stopped because this page opened a network from a lab';
export const CLOSED_PAGE = 'stopped because its page was closed';

/** The word's values: 0 goes on; the others stop, for the page's Stop (no message) or a reason. */
const REASONS = [null, null, REPLACED_BY_RUN, CLOSED_PAGE] as const;
export type StopCause = 'page' | 'replaced-by-run' | 'closed';
const CODES: Record<StopCause, number> = { 'page': 1, 'replaced-by-run': 2, 'closed': 3 };

/** Thrown inside a batch whose run's word was set: the batch is dropped and the run ends 'stopped'. */
export class BatchAbandoned extends Error {
  constructor() {
    super('the batch was abandoned because its run was stopped');
  }
}

/** The run's side of its word. */
export interface StopWord {
  /** True once the word is set. */
  raised(): boolean;
  /** Throws BatchAbandoned once the word is set: called between layers. */
  check(): void;
  /** What the run's 'stopped' event says (undefined for its page's own Stop, or a word never set). */
  reason(): string | undefined;
}

/** The run's view of `buffer` (none: a word nobody sets, for hosts that do not share one). */
export function stopWordOf(buffer: SharedArrayBuffer | undefined): StopWord {
  const word = new Int32Array(buffer ?? new SharedArrayBuffer(4));
  return {
    raised: () => Atomics.load(word, 0) !== 0,
    check() {
      if (Atomics.load(word, 0) !== 0) throw new BatchAbandoned();
    },
    reason: () => REASONS[Atomics.load(word, 0)] ?? undefined,
  };
}

/** The main side's words, one per run going, by run id and by the page that owns it. */
export interface StopWords {
  /** A new word for `runId` of `owner` ('' for a host with one page). */
  open(runId: number, owner: string): SharedArrayBuffer;
  /** Sets `runId`'s word (the first cause set is the one told). */
  raise(runId: number, cause: StopCause): void;
  /** Sets the word of every run `owner` has going. */
  raiseOwner(owner: string, cause: StopCause): void;
  /** Forgets `runId`'s word (its run ended). */
  close(runId: number): void;
}

export function createStopWords(): StopWords {
  const words = new Map<number, { word: Int32Array; owner: string }>();
  const set = (word: Int32Array, cause: StopCause) => void Atomics.compareExchange(word, 0, 0, CODES[cause]);
  return {
    open(runId, owner) {
      const buffer = new SharedArrayBuffer(4);
      words.set(runId, { word: new Int32Array(buffer), owner });
      return buffer;
    },
    raise(runId, cause) {
      const found = words.get(runId);
      if (found) set(found.word, cause);
    },
    raiseOwner(owner, cause) {
      for (const found of words.values()) if (found.owner === owner) set(found.word, cause);
    },
    close: (runId) => void words.delete(runId),
  };
}
