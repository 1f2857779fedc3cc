/**
 * The networks an engine worker holds, one per owner (a page, named by net-runs.ts; '' for a host with one page):
 * a page's new run or opened net replaces only its own, so two tabs train at once, and a page that is gone gives its
 * net back. Runs are found by id for their controls; the owner check is the main side's (net-runs.ts).
 */

export interface HeldNets<N extends { readonly id: number }> {
  /** Holds `net` for `owner`; the net it replaces, if any (to be stopped). */
  hold(owner: string, net: N): N | undefined;
  /** Gives back `owner`'s net; the net, if there was one (to be stopped). */
  release(owner: string): N | undefined;
  /** The net with run id `runId`, whoever holds it. */
  byId(runId: number): N | undefined;
  /** How many nets are held. */
  readonly size: number;
}

export function createHeldNets<N extends { readonly id: number }>(): HeldNets<N> {
  const byOwner = new Map<string, N>();
  return {
    hold(owner, net) {
      const previous = byOwner.get(owner);
      byOwner.set(owner, net);
      return previous;
    },
    release(owner) {
      const previous = byOwner.get(owner);
      byOwner.delete(owner);
      return previous;
    },
    byId(runId) {
      for (const net of byOwner.values()) if (net.id === runId) return net;
      return undefined;
    },
    get size() {
      return byOwner.size;
    },
  };
}
