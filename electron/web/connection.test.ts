// One page's connection, in process: answers respect back-pressure, and a closed page aborts its signal.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeMessage } from '../contract/wire';
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
});
