// The browser host as an attacker meets it: a seeded flood of malformed messages and every kind of WebSocket
// protocol error, against the real host process, and hostile lab, network and dataset calls refused by name. Every
// message is answered or its connection closed with a code, and the process never exits.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { mulberry32 } from '../../core/random';
import { CALL_NAMES } from '../contract/contract';
import { decodeMessage, encodeMessage } from '../contract/wire';
import { MAX_MESSAGE_BYTES } from '../contract/transport-limits';
import { startHostProcess, type HostProcess } from './testing/host-process';

const MESSAGES = 10_000;
const CONNECTIONS = 4;

let host: HostProcess;
beforeAll(async () => {
  host = await startHostProcess();
}, 60_000);
afterAll(() => host?.stop());

/** One malformed (or merely odd) message, chosen by the seeded generator; `id` is set when it can be echoed. */
function malformed(random: () => number, id: number): Uint8Array {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const junk = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => random() * 1e308 * (random() < 0.5 ? -1 : 1),
      () => 'x'.repeat(Math.floor(random() * 300)),
      () => [1, [2, [3]]],
      () => ({ __proto__: { polluted: true }, constructor: { prototype: 1 } }),
      () => ({ shape: [1, 1, 2, 2], data: { $f32: [0, 4] } }),
      () => ({ input: { shape: [1, 1, 513, 2], data: [] }, layers: 'all' }),
      () => ({ input: { shape: [1, 1, 2, 2], data: new Float32Array([1, NaN, 3, 4]) }, layers: [] }),
      () => ({ text: 42, fileName: ['..', '..', 'etc', 'passwd'] }),
      () => ({ runId: -1, command: 'explode' }),
      () => ({ locale: { toString: 'en' }, zoom: 'big' }),
      // Lab, network and dataset calls: random bytes as a lab, nets that cannot be built, pages and folders out of reach.
      () => ({ text: randomBytes(Math.floor(random() * 2000)), fileName: pick(['fuzz.convlab.json', '../..', '\u0000']) }),
      () => ({ net: { settings: { net: pick(['nin', 'resnet18', 'x']), divisor: pick([0, 1e9, -1]) }, params: [{ path: '0.weight', shape: [1], data: 'A'.repeat(Math.floor(random() * 100)) }], history: {} } }),
      () => ({ split: pick(['train', 'test', 'x']), offset: Math.floor(random() * 2e7), count: Math.floor(random() * 300), typedPath: pick(['/', '/etc/hostname', 'rel', '/proc/self']) }),
    ])();
  const callName = (): unknown =>
    pick<() => unknown>([
      () => pick(CALL_NAMES),
      () => [pick(CALL_NAMES)],
      () => ({ name: pick(CALL_NAMES) }),
      () => null,
      () => 12,
      () => pick(['__proto__', 'toString', 'constructor', 'hasOwnProperty', '', 'forward ', 'FORWARD']),
      () => undefined,
    ])();
  const kind = random();
  if (kind < 0.15) return randomBytes(Math.floor(random() * 64)); // no structure at all
  if (kind < 0.25) {
    // A header length that points past the end, or a header that is not JSON.
    const bytes = randomBytes(8 + Math.floor(random() * 32));
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, random() < 0.5 ? 0xffffffff : 4 + Math.floor(random() * 4), true);
    return bytes;
  }
  if (kind < 0.4) {
    // A header that is valid JSON but not an object: null, a number, a string, a list.
    const header = new TextEncoder().encode(JSON.stringify(pick([null, 0, 'forward', [id, 'forward', {}], true])));
    const bytes = new Uint8Array(4 + header.length);
    new DataView(bytes.buffer).setUint32(0, header.length, true);
    bytes.set(header, 4);
    return bytes;
  }
  if (kind < 0.5) {
    // An array reference outside the payload, negative, fractional or of the wrong arity.
    const ref = pick([[0, 1e9], [-1, 2], [0.5, 1], [0], 'x', [0, 2, 3]]);
    const header = new TextEncoder().encode(JSON.stringify({ id, call: 'forward', request: { input: { shape: [1, 1, 1, 2], data: { $f32: ref } }, layers: [] } }));
    const bytes = new Uint8Array(4 + header.length);
    new DataView(bytes.buffer).setUint32(0, header.length, true);
    bytes.set(header, 4);
    return bytes;
  }
  // A well-formed message with a hostile call name, request or id.
  const odd = random() < 0.1 ? { id: pick([{ n: 1 }, [1], 'y'.repeat(100)]), call: callName(), request: junk() } : { id, call: callName(), request: junk() };
  return encodeMessage(odd);
}

/** Sends messages over one connection and counts the answers until every message has one or the socket closes. */
function fuzzConnection(messages: Uint8Array[], textFrames: number): Promise<{ answered: number; closed: number | null }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: host.origin });
    const expected = messages.length + textFrames;
    let answered = 0;
    socket.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { event?: string; result?: { ok: boolean } };
      if (reply.event) return; // a broadcast (a fuzzed setSettings that happened to be valid), not an answer
      if (!reply.result || typeof reply.result.ok !== 'boolean') return reject(new Error(`an unstructured answer: ${JSON.stringify(reply)}`));
      if (++answered === expected) socket.close(1000, 'done');
    });
    socket.on('close', (code) => resolve({ answered, closed: answered === expected ? null : code }));
    socket.on('error', reject);
    socket.on('open', () => {
      for (const message of messages) socket.send(message);
      for (let i = 0; i < textFrames; i++) socket.send(`{"id":${i},"call":"appInfo","request":{}}`);
    });
  });
}

/** A raw TCP connection after a valid handshake, to write frames no WebSocket client would. */
async function rawSocket(): Promise<Socket> {
  const socket = connect(host.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    'GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${host.origin}\r\n\r\n`,
  );
  await new Promise<void>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
  return socket;
}

/** One frame: FIN/RSV/opcode byte, a length (7-bit, 16-bit or 64-bit form) and a masked (or not) payload. */
function frame(first: number, payload: Uint8Array, { masked = true, claimedLength }: { masked?: boolean; claimedLength?: number } = {}): Buffer {
  const length = claimedLength ?? payload.length;
  const head: number[] = [first];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 255);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  const mask = masked ? [1, 2, 3, 4] : [];
  const body = Buffer.from(payload.map((byte, i) => (masked ? byte ^ mask[i % 4] : byte)));
  return Buffer.concat([Buffer.from(head), Buffer.from(mask), body]);
}

/** Writes the frames and waits for the server's close frame; answers the close code it sent (or 'dropped'). */
async function protocolError(frames: Buffer[]): Promise<number | 'dropped'> {
  const socket = await rawSocket();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => (socket.destroy(), resolve('dropped')), 10_000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // The server's close frame: opcode 8, unmasked, its code in the first two payload bytes.
      if ((received[0] & 0x0f) === 8 && received.length >= 4) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received.readUInt16BE(2));
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('dropped');
    });
    for (const f of frames) socket.write(f);
  });
}

const code = (n: number) => Uint8Array.from([n >> 8, n & 255]);

describe('the browser host under fuzz', () => {
  test(`${MESSAGES} seeded malformed messages over ${CONNECTIONS} connections: each answered, 0 exits`, async () => {
    const random = mulberry32(20261128);
    const perConnection = Array.from({ length: CONNECTIONS }, () => [] as Uint8Array[]);
    for (let i = 0; i < MESSAGES; i++) perConnection[i % CONNECTIONS].push(malformed(random, i + 1));
    const results = await Promise.all(perConnection.map((messages) => fuzzConnection(messages, 5)));
    const answered = results.reduce((sum, r) => sum + r.answered, 0);
    console.log(`fuzz: ${MESSAGES + 5 * CONNECTIONS} messages, ${answered} answered, ${host.exits.length} exits`);
    expect(results.map((r) => r.closed)).toEqual(results.map(() => null));
    expect(answered).toBe(MESSAGES + 5 * CONNECTIONS);
    expect(host.exits).toEqual([]);
  });

  const text = (s: string) => new TextEncoder().encode(s);
  const cases: [string, number, () => Buffer[]][] = [
    ['a frame over the size limit', 1009, () => [frame(0x82, new Uint8Array(0), { claimedLength: MAX_MESSAGE_BYTES + 1 })]],
    ['fragments that add up past the limit', 1009, () => [frame(0x02, new Uint8Array(1 << 20)), frame(0x00, new Uint8Array(0), { claimedLength: MAX_MESSAGE_BYTES })]],
    ['a text frame that is not UTF-8', 1007, () => [frame(0x81, Uint8Array.from([0xc3, 0x28, 0xff]))]],
    ['an unmasked client frame', 1002, () => [frame(0x82, text('hi'), { masked: false })]],
    ['reserved bit 1 without an extension', 1002, () => [frame(0xc2, text('hi'))]],
    ['reserved bit 2', 1002, () => [frame(0xa2, text('hi'))]],
    ['reserved bit 3', 1002, () => [frame(0x92, text('hi'))]],
    ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((op): [string, number, () => Buffer[]] => [`reserved opcode ${op}`, 1002, () => [frame(0x80 | op, text('x'))]]),
    ['a continuation with nothing to continue', 1002, () => [frame(0x80, text('x'))]],
    ['a new message inside a fragmented one', 1002, () => [frame(0x02, text('a')), frame(0x82, text('b'))]],
    ['a fragmented control frame', 1002, () => [frame(0x09, text('ping'))]],
    ['a control frame over 125 bytes', 1002, () => [frame(0x89, new Uint8Array(126))]],
    ...[999, 1004, 1005, 1006, 1015, 1016, 2999, 5000].map((c): [string, number, () => Buffer[]] => [`close code ${c}`, 1002, () => [frame(0x88, code(c))]]),
    ['a close frame of one byte', 1002, () => [frame(0x88, Uint8Array.from([3]))]],
    ['a close reason that is not UTF-8', 1007, () => [frame(0x88, Uint8Array.from([3, 232, 0xff, 0xfe]))]],
  ];
  test.each(cases)('%s closes that connection with code %i, and the host lives', async (_name, expected, frames) => {
    expect(await protocolError(frames())).toBe(expected);
    expect(host.exits).toEqual([]);
  });

  test('hostile dataset, lab and network calls: each refused with a code and a message naming the field or file, none internal, 0 exits', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: host.origin });
    await new Promise((resolve, reject) => (socket.on('open', resolve), socket.on('error', reject)));
    const answers = new Map<number, (result: { ok: boolean; error?: { code: string; message: string } }) => void>();
    socket.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { id?: number; result?: { ok: boolean } };
      if (reply.id !== undefined && reply.result) answers.get(reply.id)?.(reply.result);
    });
    let id = 0;
    const ask = (call: string, request: unknown) =>
      new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) => {
        answers.set(++id, resolve);
        socket.send(encodeMessage({ id, call, request }));
      });
    const lenet = { net: 'lenet', activation: 'sigmoid', pooling: 'avg', channels: [6, 16], lr: 0.9, batchSize: 256, epochs: 10, seed: 0, momentum: 0 };
    const history = { epochs: [], batchLosses: [], batchStride: 1 };
    const lab = (net: unknown) => JSON.stringify({ type: 'convlab', version: 3, lab: { net } });
    const image = { shape: [1, 1, 28, 28], data: new Float32Array(784) };
    const cases: [string, unknown, string, RegExp][] = [
      // A base64 text of 5.3 M characters overflowed the regular expression's stack ("internal").
      ['netTrainingLoad', { net: { settings: lenet, params: [{ path: '0.weight', shape: [6, 1, 5, 5], data: 'A'.repeat(5_333_336) }], history } }, 'invalid-request', /^netTrainingLoad: net\.params\.0: parameter 0\.weight holds 4000002 bytes but its shape 6×1×5×5 needs 600/],
      ['netTrainingLoad', { net: { settings: { ...lenet, divisor: 0 }, params: [], history } }, 'invalid-request', /net\.settings\.divisor: width divisor must be at least 1/],
      ['netTrainingLoad', { net: [] }, 'invalid-request', /net must be an object, not a list/],
      ['netTrainingLoad', { net: { settings: lenet, params: [{ path: '0.weight', shape: [6, 1, 5, 5], data: '%%%%' }], history } }, 'invalid-request', /data must be base64 text/],
      ['netTrainingStart', { settings: { ...lenet, channels: [6, 16, 1] } }, 'invalid-request', /channels holds exactly two widths/],
      ['netTrainingStart', { settings: { ...lenet, channels: new Array(100_000).fill(6) } }, 'invalid-request', /channels holds exactly two widths/],
      ['netTrainingSnapshot', { runId: 0 }, 'invalid-request', /run id must be at least 1/],
      ['explorerForward', { net: 'lenet', input: image, seed: 1, block: 1023, channelStart: 0 }, 'engine', /^block 1023 is out of range: LeNet has 7 blocks, block 0 to 6$/],
      ['importLab', { text: lab({ settings: lenet, params: [{ path: '0.weight', shape: [6, 1, 5, 5], data: 'A'.repeat(5_333_336) }], history }), fileName: 'big.convlab.json' }, 'bad-file', /^big\.convlab\.json: /],
      ['importLab', { text: Uint8Array.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]), fileName: '../../etc/passwd' }, 'bad-file', /^passwd: this file is UTF-32 text/],
      ['importLab', { text: 42, fileName: 'x.convlab.json' }, 'invalid-request', /^importLab: text: /],
      ['encodeLab', { text: '{"type":"convlab","version":3,"lab":[]}', fileName: 'list' }, 'bad-file', /^list: lab/],
      ['encodeLab', { text: 'x', fileName: '' }, 'invalid-request', /a file name cannot be empty/],
      ['datasetImages', { split: 'train', offset: -1, count: 1e9 }, 'invalid-request', /offset must be at least 0/],
      ['datasetImage', { split: 'validation', index: 0 }, 'invalid-request', /^datasetImage: split: /],
      ['datasetChooseFolder', { typedPath: 'relative/folder' }, 'invalid-request', /type the full path of the folder/],
      ['datasetChooseFolder', { typedPath: '/etc/hostname' }, 'io', /^\/etc\/hostname is not a folder$/],
      ['datasetChooseFolder', { typedPath: '/' }, 'bad-file', /^\/ lacks train-images-idx3-ubyte\.gz/],
      ['datasetDownloadCancel', { discard: 'yes' }, 'invalid-request', /discard must be true or false/],
    ];
    for (const [call, request, code, message] of cases) {
      const result = await ask(call, request);
      expect(result.ok, call).toBe(false);
      expect(result.error, call).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    socket.close();
    expect(host.exits).toEqual([]);
  }, 60_000);

  test('after all of it the host still answers a well-formed call', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: host.origin });
    const reply = await new Promise<unknown>((resolve, reject) => {
      socket.on('open', () => socket.send(encodeMessage({ id: 1, call: 'appInfo', request: {} })));
      socket.on('message', (data: Buffer) => resolve(decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))));
      socket.on('error', reject);
    });
    socket.close();
    expect(reply).toMatchObject({ id: 1, result: { ok: true, value: { host: 'web' } } });
    expect(host.exits).toEqual([]);
  });

  test('malformed HTTP is answered 400 or 404 on that connection alone, and the host lives', async () => {
    const raw = async (text: string | Buffer): Promise<string> => {
      const socket = connect(host.port, '127.0.0.1');
      socket.on('error', () => undefined);
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(text);
      const timer = setTimeout(() => socket.destroy(), 5000);
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      clearTimeout(timer);
      return reply.split('\r\n')[0];
    };
    expect(await raw('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 (400|431)/);
    expect(await raw('GET /%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 (403|404)/);
    expect(await raw('GET /%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 (403|404)/);
    expect(await raw(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))).toMatch(/^(HTTP\/1\.1 400 Bad Request)?$/);
    expect(host.exits).toEqual([]);
  });

  test('HTTP: methods other than GET and HEAD get 405; errors are plain text, never sniffed', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await fetch(`${host.origin}/index.html`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    const missing = await fetch(`${host.origin}/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    const foreign = await fetch(`${host.origin}/api`, { headers: { Upgrade: 'websocket', Connection: 'Upgrade', Origin: 'http://evil.example' } }).catch(() => null);
    expect(foreign === null || foreign.status !== 101).toBe(true);
    expect(host.exits).toEqual([]);
  });
});
