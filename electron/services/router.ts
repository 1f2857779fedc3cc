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

/** Which page called: one browser tab's connection, or the desktop window. Its signal aborts when the page is gone. */
export interface ClientInfo {
  id: number;
  /** How a refusal names this page to another one, e.g. "the tab opened at 04:12:33". */
  label: string;
  signal: AbortSignal;
}

/** What a handler may do besides answering: push events to the page that called it, and know which page it is. */
export interface CallContext {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  client?: ClientInfo;
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
  return { code: 'internal', message: error instanceof Error ? error.message : safeText(error) };
}

/** A thrown non-Error as text, even one whose own toString throws. */
function safeText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'an unreadable error';
  }
}

export type Router = (name: unknown, request: unknown, context: CallContext) => Promise<Result<unknown>>;

/** What a caller's name is shown as in a refusal: short, and never by running its own toString. */
function nameText(name: unknown): string {
  if (typeof name === 'string') return `"${name.length > 64 ? `${name.slice(0, 64)}…` : name}"`;
  return name === null ? 'null' : Array.isArray(name) ? 'a list' : typeof name;
}

/**
 * Every outcome of every call, including a bug in a handler or in validation itself, is answered here as a Result:
 * no exception escapes to the socket or IPC code that called in, so none can end the process.
 */
export function createRouter(handlers: Handlers): Router {
  return async (name, request, context) => {
    try {
      // Only an own key named by a string: ["forward"] would otherwise be coerced to "forward" and run.
      if (typeof name !== 'string' || !Object.hasOwn(calls, name)) {
        const code = typeof name === 'string' ? 'unknown-call' : 'invalid-request';
        const what = typeof name === 'string' ? `there is no call named ${nameText(name)}` : `a call is named by a string, not ${nameText(name)}`;
        return { ok: false, error: { code, message: what } };
      }
      const key = name as CallName;
      const parsed = v.safeParse(calls[key].request, request);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-request', message: `${key}: ${describeIssues(parsed.issues)}` } };
      }
      const handler = handlers[key] as (r: unknown, c: CallContext) => unknown;
      return { ok: true, value: await handler(parsed.output, context) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  };
}
