/**
 * "One request in flight, the newest waits": the page's rule for asking the engine about something that keeps
 * changing (the lab's maps, a probed unit, a test image). A request made while one runs replaces any request already
 * waiting, and runs as soon as the one in flight ends, so the engine never queues work whose answer is already stale.
 */

export interface Pump<J> {
  /** Asks for `job`: it runs now if nothing is in flight, else it waits in place of any older waiting job. */
  request(job: J): void;
  /** The job waiting behind the one in flight, if any. */
  waiting(): J | null;
  /** Asks for `job` again unless a newer job already waits (an answer that must be asked for once more). */
  retry(job: J): void;
}

/** A pump that runs `run` for one job at a time; `run` reads and applies its answer before the next job starts. */
export function usePump<J = void>(run: (job: J) => Promise<void>): Pump<J> {
  let inFlight = false;
  let waiting: { job: J } | null = null;

  async function pump(): Promise<void> {
    if (inFlight || !waiting) return;
    const { job } = waiting;
    waiting = null;
    inFlight = true;
    try {
      await run(job);
    } finally {
      inFlight = false;
      void pump();
    }
  }

  return {
    request(job: J): void {
      waiting = { job };
      void pump();
    },
    waiting: () => waiting?.job ?? null,
    retry(job: J): void {
      waiting ??= { job };
    },
  };
}
