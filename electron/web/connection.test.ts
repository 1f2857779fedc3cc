// One page's connection, in process: answers respect back-pressure, and a closed page aborts its signal.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMessage, encodeMessage, type DeltaBase } from '../contract/wire';
import type { ClientInfo, Router } from '../services/router';
import { serveConnection } from './connection';

const ANSWER_FLOATS = 256 * 1024; // 1 MiB per answer
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

async function serve(route: Router, maxUnsentBytes: number) {
  const server = createServer();
  const sockets = new WebSocketServer({ server });
  const clients: ClientInfo[] = [];
  sockets.on('connection', (ws) => {
    const aborter = new AbortController();
    const client = { id: clients.length + 1, label: 'test', signal: aborter.signal };
    clients.push(client);
    serveConnection(ws, { route, client, maxUnsentBytes, onClose: () => aborter.abort() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => (sockets.close(), server.close()));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, clients };
}

describe('a page’s connection', () => {
  test('a page that stops reading stops being read: the host holds a bounded amount of its answers', async () => {
    let routed = 0;
    const route: Router = async () => (routed++, { ok: true, value: new Float32Array(ANSWER_FLOATS) });
    const { url } = await serve(route, 4 * 1024 * 1024);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.on('open', resolve));
    let answers = 0;
    client.on('message', () => answers++);
    client.pause(); // the page stops reading
    const requests = 400; // 400 MiB of answers if nobody pushed back
    for (let i = 0; i < requests; i++) client.send(encodeMessage({ id: i, call: 'forward', request: {} }));
    await wait(1500);
    const routedWhilePaused = routed;
    // Socket buffers on both sides hold some; the rest of the 400 were never read, so never computed.
    expect(routedWhilePaused).toBeLessThan(requests / 2);
    client.resume();
    for (let i = 0; i < 200 && answers < requests; i++) await wait(50);
    expect(answers).toBe(requests);
    client.close();
    console.log(`back-pressure: ${routedWhilePaused} of ${requests} 1 MiB answers computed while the page was not reading`);
  });

  test('the same engine question asked again while the older is still unread replaces it, unvalidated', async () => {
    const routed: number[] = [];
    const releases: (() => void)[] = [];
    const route: Router = (_call, request) =>
      new Promise((resolve) => {
        routed.push((request as { n: number }).n);
        releases.push(() => resolve({ ok: true, value: null }));
      });
    const { url } = await serve(route, 1 << 20);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.on('open', resolve));
    const answers = new Map<number, string>();
    client.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { id: number; result: { ok: boolean; error?: { code: string } } };
      answers.set(reply.id, reply.result.ok ? 'answered' : reply.result.error!.code);
    });
    // 40 redraws of the same stack (a different input each time, same sizes), and one file call that must never be dropped.
    for (let i = 1; i <= 40; i++) client.send(encodeMessage({ id: i, call: 'forward', request: { input: new Float32Array(4).fill(i), n: 0 } }));
    client.send(encodeMessage({ id: 41, call: 'setDirty', request: { dirty: true, n: 41 } }));
    for (let i = 0; i < 100 && answers.size + routed.length < 41; i++) await wait(20);
    for (let i = 0; i < 100 && answers.size < 41; i++) {
      releases.shift()?.();
      await wait(5);
    }
    expect(answers.size).toBe(41);
    const cancelled = [...answers.values()].filter((a) => a === 'cancelled').length;
    expect(cancelled).toBeGreaterThan(0);
    expect(routed.length + cancelled).toBe(41);
    expect(answers.get(40)).toBe('answered'); // the newest is always computed
    expect(answers.get(41)).toBe('answered');
    client.close();
  });

  test('a page’s heavy requests take turns undecoded: a light one goes ahead, and one too many is refused from its header', async () => {
    const routed: string[] = [];
    const releases: (() => void)[] = [];
    const route: Router = (_call, request) =>
      new Promise((resolve) => {
        routed.push((request as { name: string }).name);
        releases.push(() => resolve({ ok: true, value: null }));
      });
    const { url } = await serve(route, 1 << 20);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.on('open', resolve));
    const answers = new Map<string, { code: string; message: string } | 'answered'>();
    client.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { id: string; result: { ok: boolean; error?: { code: string; message: string } } };
      answers.set(reply.id, reply.result.ok ? 'answered' : reply.result.error!);
    });
    const conv = (ci: number, co: number) => ({
      type: 'conv2d', outChannels: co, inChannels: ci, kernel: [3, 3], weight: { shape: [co, ci, 3, 3], data: new Float32Array(co * ci * 9) }, bias: new Float32Array(co),
      stride: [1, 1], padding: [1, 1], dilation: [1, 1], flip: false,
    });
    // 0.6 billion multiply-adds each (a different width each, so none replaces another), and the book's 6×8 edge.
    const heavy = (width: number) => ({ name: `heavy ${width}`, input: { shape: [1, 1, 128, width], data: new Float32Array(128 * width) }, layers: [conv(1, 64), conv(64, 64)] });
    const light = { name: 'light', input: { shape: [1, 1, 6, 8], data: new Float32Array(48) }, layers: [{ ...conv(1, 1), padding: [0, 0] }] };
    for (const width of [128, 127, 126, 125]) client.send(encodeMessage({ id: `h${width}`, call: 'forward', request: heavy(width) }));
    client.send(encodeMessage({ id: 'light', call: 'forward', request: light }));
    for (let i = 0; i < 100 && (routed.length < 2 || answers.size < 1); i++) await wait(20);
    // One heavy computing, two held unread, the fourth refused without being decoded; the light one beside them.
    expect(routed).toEqual(['heavy 128', 'light']);
    expect(answers.get('h125')).toMatchObject({ code: 'busy', message: expect.stringMatching(/already has 2 heavy requests waiting/) });
    releases.shift()!();
    for (let i = 0; i < 100 && routed.length < 3; i++) await wait(20);
    expect(routed).toEqual(['heavy 128', 'light', 'heavy 127']);
    for (let i = 0; i < 200 && answers.size < 5; i++) {
      releases.shift()?.();
      await wait(20);
    }
    expect([...answers.values()].filter((a) => a === 'answered')).toHaveLength(4);
    client.close();
  });

  test('a page that closes aborts its signal, so its waiting work is dropped', async () => {
    const { url, clients } = await serve(async () => ({ ok: true, value: 1 }), 1 << 20);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.on('open', resolve));
    await wait(20);
    expect(clients[0].signal.aborted).toBe(false);
    client.close();
    for (let i = 0; i < 50 && !clients[0].signal.aborted; i++) await wait(10);
    expect(clients[0].signal.aborted).toBe(true);
  });

  test('a page that asks for deltas gets a forward pass’s maps as their changes, and rebuilds them exactly', async () => {
    let step = 0;
    const route: Router = async (call) => {
      const map = Float32Array.from({ length: ANSWER_FLOATS }, (_, i) => i);
      map[1000] = step++;
      return { ok: true, value: call === 'forward' ? { outputs: [{ shape: [1, 1, 512, 512], data: map }] } : null };
    };
    const { url } = await serve(route, 1 << 22);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.on('open', resolve));
    const base: DeltaBase = [];
    const replies: { bytes: number; map: Float32Array }[] = [];
    client.on('message', (data: Buffer) => {
      const reply = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), false, base) as {
        result: { value: { outputs: { data: Float32Array }[] } };
      };
      replies.push({ bytes: data.byteLength, map: reply.result.value.outputs[0].data });
    });
    for (let i = 1; i <= 3; i++) client.send(encodeMessage({ id: i, call: 'forward', request: { n: i }, delta: true }));
    for (let i = 0; i < 100 && replies.length < 3; i++) await wait(20);
    expect(replies.map((r) => r.map[1000])).toEqual([0, 1, 2]);
    expect(replies[0].bytes).toBeGreaterThan(ANSWER_FLOATS * 4);
    expect(replies[2].bytes).toBeLessThan(1000);
    expect(replies[2].map[ANSWER_FLOATS - 1]).toBe(ANSWER_FLOATS - 1);
    client.close();
  });
});
