/**
 * Each engine call as the queue sees it: its cost from core/budget.ts (checked here, before it waits or runs), and
 * the key that tells whether a newer request asks the same question with new values (a redrawn input, a moved
 * pointer) so that it replaces the older one still waiting.
 */
import { checkBudget, forwardCost, lossSurfaceCost, probeCost, trainingStepCost } from '../../core/budget';
import type { RequestOf } from '../contract/contract';
import type { JobSpec } from './engine-queue';

/** The request's structure with its numbers left out: typed arrays by length only. */
function structure(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Float32Array ? `f32×${item.length}` : item));
}

export function forwardJob(request: RequestOf<'forward'>): JobSpec {
  const cost = forwardCost(request.input.shape, request.layers);
  checkBudget(cost, 'this forward pass');
  return { call: 'forward', cost, key: `forward ${structure(request)}` };
}

/** Another page's maps, or the same page's next brush step: `since` says nothing about the question asked. */
export function forwardWindowsJob(request: RequestOf<'forwardWindows'>): JobSpec {
  const cost = forwardCost((request.input ?? request.inputWindow!).shape, request.layers);
  checkBudget(cost, 'this forward pass');
  return { call: 'forwardWindows', cost, key: `forwardWindows ${structure({ ...request, since: null })}` };
}

export function probeJob(request: RequestOf<'probe'>): JobSpec {
  const cost = probeCost(request.input.shape, request.layers, request.layer);
  checkBudget(cost, 'this probe');
  // Another unit of the same stack is the pointer moving on: the newer one replaces the older.
  return { call: 'probe', cost, key: `probe ${structure({ ...request, unit: null })}` };
}

export function lossSurfaceJob(request: RequestOf<'lossSurface'>): JobSpec {
  const cost = lossSurfaceCost(request.x.shape, request.kernel, request.size);
  checkBudget(cost, 'this loss surface');
  return { call: 'lossSurface', cost, key: `lossSurface ${structure({ ...request, include: null, bias: null })}` };
}

/** A training run is checked one step at a time: a step above the budget would make pause and stop wait on it. */
export function checkTrainingStep(request: RequestOf<'trainStart'>): void {
  checkBudget(trainingStepCost(request.x.shape, request.kernel), 'one training step');
}

/**
 * The multiply-adds a replaceable engine call asks for, read from its header alone (its arrays still undecoded), or
 * null when the header is not one to price: the connection uses this to hold a page's heavy requests back before
 * paying to decode and validate them. The full checks and the budget still run when the request is taken.
 */
export function headerMultiplyAdds(call: string, request: unknown): number | null {
  try {
    const r = request as RequestOf<'forward'> & RequestOf<'probe'> & RequestOf<'lossSurface'> & { inputWindow?: { shape: number[] } };
    const cost =
      call === 'forward' ? forwardCost(r.input.shape, r.layers)
        : call === 'forwardWindows' ? forwardCost((r.input ?? r.inputWindow!).shape, r.layers)
        : call === 'probe' ? probeCost(r.input.shape, r.layers, r.layer)
          : call === 'lossSurface' ? lossSurfaceCost(r.x.shape, r.kernel, r.size)
            : null;
    return cost && Number.isFinite(cost.multiplyAdds) && cost.multiplyAdds >= 0 ? cost.multiplyAdds : null;
  } catch {
    return null;
  }
}
