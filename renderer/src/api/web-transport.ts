/**
 * The browser host's stand-in for the preload's object: the same ConvLabApi, carried over a WebSocket to the host
 * that served this page. Calls wait for the socket to open; a dropped socket fails what was waiting.
 */
import {
  CALL_NAMES,
  type ConvLabApi,
  type EventName,
  type Events,
  type Result,
} from '../../../electron/contract/contract';
import { MAX_MESSAGE_BYTES } from '../../../electron/contract/transport-limits';
import { decodeMessage, encodeMessage, type DeltaBase } from '../../../electron/contract/wire';

export function connectWebHost(url = `ws://${location.host}/api`): ConvLabApi {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach the ConvLab host')), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  /** The last maps received as deltas; the host keeps the same for this connection (see wire.ts). */
  const deltaBase: DeltaBase = [];
  socket.addEventListener('message', (message: MessageEvent<ArrayBuffer>) => {
    let data: { id?: number | null; result?: Result<unknown>; event?: EventName; payload?: unknown };
    try {
      data = decodeMessage(new Uint8Array(message.data), true, deltaBase) as typeof data;
    } catch {
      // An answer that cannot be read (its maps no longer match this page's): every waiting call fails, not hangs.
      socket.close();
      return;
    }
    if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    } else if (typeof data.id === 'number' && data.result) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'internal', message: 'the connection to the ConvLab host was closed' } });
    }
    pending.clear();
  });

  async function invoke(call: string, request: unknown): Promise<Result<unknown>> {
    try {
      await opened;
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
    const id = nextId++;
    // A forward pass's maps change little from one brush step to the next: ask for only what changed.
    const message = encodeMessage(call === 'forward' ? { id, call, request, delta: true } : { id, call, request });
    // The host closes a connection that sends more than its limit: refuse here instead, by name, and stay connected.
    if (message.byteLength > MAX_MESSAGE_BYTES) {
      const size = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
      return { ok: false, error: { code: 'invalid-request', message: `${call}: this request is ${size(message.byteLength)}; one message to the ConvLab host holds at most ${size(MAX_MESSAGE_BYTES)}` } };
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(message);
    });
  }

  const api: Record<string, unknown> = {
    host: 'web',
    on(event: EventName, listener: (payload: Events[EventName]) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  for (const name of CALL_NAMES) api[name] = (request: unknown) => invoke(name, request);
  return api as ConvLabApi;
}
