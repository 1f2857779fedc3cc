/**
 * One page's WebSocket to the browser host: decodes each message, hands it to the router and sends its answer.
 * Whatever arrives — a bad frame, a header that is not an object, a call that is not a string — ends in a structured
 * answer or in this connection alone being closed with a code; nothing thrown here can reach the process.
 * Under a flood, this thread's work per message stays small: a page's heavy requests are priced from their headers
 * and take turns undecoded (extra ones are replaced or refused unread), and large answers are sent uncopied.
 */
import type { RawData, WebSocket } from 'ws';
import type { Result } from '../contract/contract';
import { decodeMessage, encodeMessage, encodeParts, joinParts, type DeltaBase } from '../contract/wire';
import { HEADER_PRICED_CALLS, headerMultiplyAdds } from '../engine/engine-calls';
import { INTERACTIVE_MAX_MULTIPLY_ADDS } from '../engine/engine-queue';
import type { CallContext, ClientInfo, Router } from '../services/router';

export interface ConnectionOptions {
  route: Router;
  client: ClientInfo;
  /** Answer bytes handed to the socket but not yet written out, above which this page's reading is paused. */
  maxUnsentBytes: number;
  /** Called once, when the connection is gone (closed by either side or broken). */
  onClose(): void;
}

/** Requests of one page being answered at once; more wait in its backlog (the engine queue bounds the rest). */
const MAX_IN_FLIGHT = 16;
/**
 * Heavy requests (above the interactive lane's cost) of one page taken at once. More wait undecoded in the backlog,
 * where a newer one of the same question replaces them for free. One, not two: a second taken would be decoded and
 * validated only to replace the first one still queued, and free its slot for the next, so every one of a flood of
 * redraws would be paid for in full.
 */
const MAX_HEAVY_IN_FLIGHT = 1;
/** Heavy requests of one page held undecoded; one more is refused `busy` from its header, never decoded. */
const MAX_HEAVY_HELD = 2;

/** Answers from this size on go out in fragments, uncopied; smaller ones as one buffer (one write, one frame). */
const MIN_FRAGMENTED_BYTES = 256 * 1024;

/** A request's id as the page sent it, if it is one we can echo: a number or a short string; else null. */
function idOf(header: Record<string, unknown>): number | string | null {
  const id = header.id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'string' && id.length <= 64) return id;
  return null;
}

/** A message read but not yet taken; `key` is set for an engine call whose header could be read cheaply. */
interface Waiting {
  data: RawData;
  isBinary: boolean;
  key: string | null;
  id: number | string | null;
  call: string;
  /** Its header prices it above the interactive lane: it waits its page's turn for the engine here, undecoded. */
  heavy: boolean;
}

/** Headers longer than this are not peeked at (a lab sent as text): they are simply taken in turn. */
const MAX_PEEK_BYTES = 16 * 1024;

/**
 * The header of an engine call, read without its arrays: the key is the whole header but its id, so two requests
 * share a key only when they ask the same call with the same settings and arrays of the same sizes.
 */
function peek(data: RawData, isBinary: boolean): Omit<Waiting, 'data' | 'isBinary'> {
  const none = { key: null, id: null, call: '', heavy: false };
  if (!isBinary || Array.isArray(data)) return none;
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (bytes.byteLength < 4) return none;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (length > MAX_PEEK_BYTES || 4 + length > bytes.byteLength) return none;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as unknown;
    if (!header || typeof header !== 'object' || Array.isArray(header)) return none;
    const { call, id, ...rest } = header as Record<string, unknown>;
    if (typeof call !== 'string' || !HEADER_PRICED_CALLS.has(call)) return none;
    const multiplyAdds = headerMultiplyAdds(call, rest.request);
    return { key: JSON.stringify([call, rest]), id: idOf({ id }), call, heavy: multiplyAdds !== null && multiplyAdds > INTERACTIVE_MAX_MULTIPLY_ADDS };
  } catch {
    return none;
  }
}

function refusal(message: string): Result<never> {
  return { ok: false, error: { code: 'invalid-request', message } };
}

/** The message's header as an object, or a sentence saying why it is not one. */
function readMessage(data: RawData, isBinary: boolean): Record<string, unknown> | string {
  if (!isBinary) return 'expected a binary message (a text frame was sent)';
  const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  let header: unknown;
  try {
    header = decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    return `the message could not be read: ${error instanceof Error ? error.message : 'unreadable'}`;
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return `a message is an object { id, call, request }, not ${header === null ? 'null' : Array.isArray(header) ? 'a list' : typeof header}`;
  }
  return header as Record<string, unknown>;
}

export function serveConnection(ws: WebSocket, options: ConnectionOptions): CallContext {
  let unsent = 0;
  let closed = false;
  let inFlight = 0;
  let heavyInFlight = 0;
  let scheduled = false;
  /** Requests read but not yet taken (too many in flight, or answers unread): a frame or two, as reading pauses. */
  const backlog: Waiting[] = [];
  /** The maps last sent to this page, for answers it asked as deltas (the page keeps the same, in the same order). */
  const deltaBase: DeltaBase = [];

  // Answers respect back-pressure: while this page has not read what we sent, we stop reading what it sends.
  function send(message: unknown, asDelta = false): void {
    if (closed || ws.readyState !== ws.OPEN) return;
    let parts: Uint8Array[];
    try {
      parts = encodeParts(message, asDelta ? deltaBase : undefined);
    } catch (error) {
      parts = [encodeMessage({ id: null, result: { ok: false, error: { code: 'internal', message: `an answer could not be encoded: ${(error as Error).message}` } } })];
    }
    const byteLength = parts.reduce((sum, part) => sum + part.byteLength, 0);
    unsent += byteLength;
    const sent = () => {
      unsent -= byteLength;
      pump();
    };
    // A large answer goes as one message in fragments, each an array's own bytes: never copied into one buffer on
    // this thread, which reads every page's requests (an 8 MB copy is ~15 ms of a flood's main thread, plus its GC).
    if (byteLength < MIN_FRAGMENTED_BYTES) {
      ws.send(joinParts(parts), sent);
      return;
    }
    parts.forEach((part, i) => ws.send(part, { binary: true, fin: i === parts.length - 1 }, i === parts.length - 1 ? sent : undefined));
  }

  /**
   * Takes requests from the backlog while this page has few in flight and reads its answers; otherwise stops reading
   * its socket, so a page that floods or stops reading is held back by TCP rather than by the host's memory.
   */
  function pump(): void {
    if (closed) return;
    // A heavy request beyond the page's share waits; a light one behind it goes first (answers carry their ids).
    const takeable = (item: Waiting) => !item.heavy || heavyInFlight < MAX_HEAVY_IN_FLIGHT;
    // One request per turn of the event loop: a burst from one page never holds up another page's next request.
    const at = inFlight < MAX_IN_FLIGHT && unsent <= options.maxUnsentBytes ? backlog.findIndex(takeable) : -1;
    if (at >= 0) {
      const [next] = backlog.splice(at, 1);
      handle(next);
      if (backlog.some(takeable) && !scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    }
    // Heavy requests held for their turn do not stop reading (a newer one may replace them, or be refused, unread);
    // anything else left over does, as do unread answers: the page is then held back by TCP, not the host's memory.
    const blocked = backlog.some((item) => !item.heavy) || unsent > options.maxUnsentBytes;
    if (blocked && !ws.isPaused) ws.pause();
    else if (!blocked && ws.isPaused) ws.resume();
  }

  const context: CallContext = { emit: (event, payload) => send({ event, payload }), client: options.client };

  function finish(): void {
    if (closed) return;
    closed = true;
    backlog.length = 0;
    options.onClose();
  }
  // A protocol error (oversized or fragmented-past-limit frame, invalid UTF-8, unmasked frame, reserved bits or
  // opcode, bad close code): ws has already closed this connection with the matching status code; without this
  // listener the error would be thrown and end the process.
  ws.on('error', () => {
    finish();
    ws.terminate();
  });
  ws.on('close', finish);

  function handle({ data, isBinary, heavy }: Waiting): void {
    const message = readMessage(data, isBinary);
    if (typeof message === 'string') {
      send({ id: null, result: refusal(message) });
      return;
    }
    const id = idOf(message);
    // Only a forward pass's maps go as deltas, and only to a page that said it keeps them (`delta: true`).
    const asDelta = message.delta === true && message.call === 'forward';
    inFlight++;
    if (heavy) heavyInFlight++;
    options.route(message.call, message.request, context)
      .then(
        (result) => send({ id, result }, asDelta),
        // The router answers every outcome itself; this is the last guard, so a bug there is still an answer.
        (error: unknown) => send({ id, result: { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : 'internal error' } } }),
      )
      .finally(() => {
        inFlight--;
        if (heavy) heavyInFlight--;
        pump();
      });
  }

  ws.on('message', (data, isBinary) => {
    const waiting: Waiting = { data, isBinary, ...peek(data, isBinary) };
    // The same engine question asked again before the older one was even read: answer the older one at once, without
    // decoding or validating it (the engine queue applies the same rule to requests already taken).
    if (waiting.key !== null) {
      const older = backlog.findIndex((item) => item.key === waiting.key);
      if (older >= 0) {
        const [replaced] = backlog.splice(older, 1);
        send({ id: replaced.id, result: { ok: false, error: { code: 'cancelled', message: `${replaced.call}: replaced by a newer ${replaced.call} request from the same page` } } });
      }
    }
    if (waiting.heavy && backlog.filter((item) => item.heavy).length >= MAX_HEAVY_HELD) {
      const message = `${waiting.call}: this page already has ${MAX_HEAVY_HELD} heavy requests waiting behind the ones computing; try again when one is answered`;
      send({ id: waiting.id, result: { ok: false, error: { code: 'busy', message } } });
      return;
    }
    backlog.push(waiting);
    pump();
  });
  return context;
}
