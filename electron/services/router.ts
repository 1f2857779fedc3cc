/**
 * The one door into the main side: validates a request against the contract, routes it to its handler and turns
 * every outcome into a Result. main.ts and the browser host both call it, so they validate exactly alike.
 */
import * as v from 'valibot';
import {
  calls,
  type ApiError,
  type CallName,
  type ErrorCode,
  type EventName,
  type Events,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../contract/contract';

/** What a handler may do besides answering: push events to the page that called it. */
export interface CallContext {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
}
export type Handlers = {
  [K in CallName]: (request: RequestOf<K>, context: CallContext) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** An error a service throws on purpose, with the code the page receives. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function describeIssues(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ServiceError) return { code: error.code, message: error.message };
  // The engine's errors carry a code of their own (shape, range, nonfinite, limit): all are the user's settings.
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    return { code: 'engine', message: error.message };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export type Router = (name: string, request: unknown, context: CallContext) => Promise<Result<unknown>>;

export function createRouter(handlers: Handlers): Router {
  return async (name, request, context) => {
    if (!Object.hasOwn(calls, name)) {
      return { ok: false, error: { code: 'unknown-call', message: `there is no call named "${String(name)}"` } };
    }
    const key = name as CallName;
    const parsed = v.safeParse(calls[key].request, request);
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-request', message: `${key}: ${describeIssues(parsed.issues)}` } };
    }
    try {
      const handler = handlers[key] as (r: unknown, c: CallContext) => unknown;
      return { ok: true, value: await handler(parsed.output, context) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  };
}
