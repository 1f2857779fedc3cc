/**
 * The browser host (`npm run web`): serves the built renderer on 127.0.0.1 and binds the same services and the
 * same contract as main.ts over a WebSocket, validating through the same router. Its first line of output is the
 * URL it serves. Flags: --port N (default: a free port), --data-dir DIR (where settings live).
 */
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../contract/wire';
import { createAutosave } from '../services/autosave';
import { createEnginePool } from '../services/engine-pool';
import { createFilesService, NO_DIALOGS } from '../services/files';
import { createRecentFiles } from '../services/recent-files';
import { createHandlers } from '../services/handlers';
import { createRouter, type CallContext } from '../services/router';
import { createSettingsService } from '../services/settings';
import { createStaticHandler } from './static-files';
import { parseHostArgs } from './host-args';
import { version } from '../../package.json';

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const dataDir = args.dataDir ?? join(homedir(), '.config', 'ConvLab', 'web');
  const settings = await createSettingsService(join(dataDir, 'settings.json'));
  const engine = createEnginePool(new URL('./engine-worker.js', import.meta.url), { size: settings.get().engineWorkers });
  // No native dialogs here: the page opens labs by upload and saves them as downloads, through the same gate.
  const files = createFilesService(NO_DIALOGS, await createRecentFiles(join(dataDir, 'recent.json')), await createAutosave(dataDir));
  const systemLocale = process.env.LANG?.split('.')[0]?.replace('_', '-') || Intl.DateTimeFormat().resolvedOptions().locale;
  const route = createRouter(
    createHandlers({
      engine,
      settings,
      info: { name: 'ConvLab', version, host: 'web', platform: process.platform, systemLocale },
      files,
      // A browser tab closes itself; the page guards unsaved changes with beforeunload.
      window: { close: () => undefined },
    }),
  );

  const serveStatic = createStaticHandler(fileURLToPath(new URL('../renderer/', import.meta.url)));
  const server = createServer((request, response) => void serveStatic(request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const clients = new Set<WebSocket>();

  function send(socket: WebSocket, message: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(encodeMessage(message));
  }
  // Settings belong to the user, not to one tab: every open page hears of a change.
  settings.onChange((value) => {
    for (const client of clients) send(client, { event: 'settingsChanged', payload: value });
  });

  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // Only the page this host served may talk to it: another site open in the browser may not.
    const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (request.url !== '/api' || !origin || !allowed.includes(origin)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      const context: CallContext = { emit: (event, payload) => send(ws, { event, payload }) };
      ws.on('close', () => clients.delete(ws));
      ws.on('message', async (data, isBinary) => {
        let message: { id?: unknown; call?: unknown; request?: unknown };
        try {
          if (!isBinary) throw new Error('expected a binary message');
          const bytes = Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data as ArrayBuffer);
          message = decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as typeof message;
        } catch (error) {
          send(ws, { id: null, result: { ok: false, error: { code: 'invalid-request', message: String(error) } } });
          return;
        }
        const result = await route(String(message.call), message.request, context);
        send(ws, { id: message.id, result });
      });
    });
  });

  server.listen(args.port, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    process.stdout.write(`http://127.0.0.1:${port}/\n`);
  });

  const shutdown = () => {
    for (const client of clients) client.terminate();
    server.close();
    void engine.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`ConvLab web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
