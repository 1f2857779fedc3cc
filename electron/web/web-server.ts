/**
 * The browser host's server: the built renderer over HTTP and the contract over one WebSocket per page, answering
 * only the page it served. Kept apart from host.ts (which binds the services) so tests can run it with any router.
 */
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, Events } from '../contract/contract';
import type { ClientInfo, Router } from '../services/router';
import { serveConnection } from './connection';
import { createStaticHandler } from './static-files';

export interface WebServerOptions {
  route: Router;
  rendererRoot: string;
  /** Largest message a page may send; a larger one closes its connection with code 1009. */
  maxMessageBytes: number;
  /** Answer bytes a page may leave unread before the host stops reading its requests. */
  maxUnsentBytes: number;
}

export interface WebServer {
  server: Server;
  /** Sends an event to every open page (settings belong to the user, not to one tab). */
  broadcast<E extends EventName>(event: E, payload: Events[E]): void;
  close(): void;
}

const clock = (at: Date) => at.toTimeString().slice(0, 8);

export function createWebServer(options: WebServerOptions): WebServer {
  const serveStatic = createStaticHandler(options.rendererRoot);
  // The static handler answers every path itself; should it ever throw, that one response is dropped, not the host.
  const server = createServer((request, response) => void serveStatic(request, response).catch(() => response.destroy()));
  // A malformed HTTP request is answered 400 and its socket closed; nothing of it reaches the process.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const clients = new Map<WebSocket, { emit: (event: EventName, payload: unknown) => void }>();
  let nextClient = 1;

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const origin = request.headers.origin;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // Only the page this host served may talk to it: another site open in the browser may not.
    const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (request.url !== '/api' || !origin || !allowed.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nforbidden');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const aborter = new AbortController();
      const id = nextClient++;
      const client: ClientInfo = { id, label: `the tab connected at ${clock(new Date())} (#${id})`, signal: aborter.signal };
      const context = serveConnection(ws, {
        route: options.route,
        client,
        maxUnsentBytes: options.maxUnsentBytes,
        onClose: () => {
          clients.delete(ws);
          aborter.abort(new Error('the page closed its connection'));
        },
      });
      clients.set(ws, { emit: (event, payload) => context.emit(event, payload as never) });
    });
  });

  return {
    server,
    broadcast(event, payload) {
      for (const client of clients.values()) client.emit(event, payload);
    },
    close() {
      for (const ws of clients.keys()) ws.terminate();
      server.close();
    },
  };
}
