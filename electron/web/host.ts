/**
 * The browser host (`npm run web`): serves the built renderer on 127.0.0.1 and binds the same services and the
 * same contract as main.ts over a WebSocket, validating through the same router. Its first line of output is the
 * URL it serves. Flags: --port N (default: a free port), --data-dir DIR (where settings live).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_MESSAGE_BYTES, MAX_UNSENT_ANSWER_BYTES } from '../contract/transport-limits';
import { assembleServices } from '../assemble/assemble';
import { NO_DIALOGS } from '../services/files/files';
import { createLabCodecWorker } from '../services/files/lab-codec';
import { ServiceError } from '../services/router';
import { guardTabs } from '../services/tab-guard';
import { createWebServer } from './web-server';
import { parseHostArgs } from './host-args';
import { version } from '../../package.json';

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const dataDir = args.dataDir ?? join(homedir(), '.config', 'ConvLab', 'web');
  // Run from its TypeScript source (tests: `node --import tsx electron/web/host.ts`), the worker is the source too.
  const fromSource = import.meta.url.endsWith('.ts');
  const systemLocale = process.env.LANG?.split('.')[0]?.replace('_', '-') || Intl.DateTimeFormat().resolvedOptions().locale;
  const workerOptions = fromSource ? { execArgv: ['--import', 'tsx'] } : {};
  const { route, settings, close } = await assembleServices({
    dataDir,
    workerFile: fromSource ? new URL('../engine/engine-worker.ts', import.meta.url) : new URL('./engine-worker.js', import.meta.url),
    workerOptions,
    // No native dialogs here: the page opens labs by upload and saves them as downloads, through the same gate.
    dialogs: () => NO_DIALOGS,
    // Large labs are gated and written in a worker of their own, so no page's request waits behind one.
    labCodec: createLabCodecWorker(
      fromSource ? new URL('../services/files/lab-codec-worker.ts', import.meta.url) : new URL('./lab-codec-worker.js', import.meta.url),
      workerOptions,
    ),
    // A page cannot browse this machine's folders: the user types the path, and only an absolute one is taken.
    async chooseFolder(typed) {
      if (!typed || !isAbsolute(typed)) throw new ServiceError('invalid-request', 'type the full path of the folder that holds the four files');
      return typed;
    },
    info: { name: 'ConvLab', version, host: 'web', platform: process.platform, systemLocale },
    // A browser tab closes itself; the page guards unsaved changes with beforeunload.
    window: { close: () => undefined },
    // Many tabs, one lab state and one training run: the guard gives each to one tab and names it to the others.
    guard: guardTabs,
  });

  const web = createWebServer({
    route,
    rendererRoot: fromSource ? fileURLToPath(new URL('../../out/renderer/', import.meta.url)) : fileURLToPath(new URL('../renderer/', import.meta.url)),
    maxMessageBytes: MAX_MESSAGE_BYTES,
    maxUnsentBytes: MAX_UNSENT_ANSWER_BYTES,
  });
  const server = web.server;
  settings.onChange((value) => web.broadcast('settingsChanged', value));

  server.listen(args.port, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    process.stdout.write(`http://127.0.0.1:${port}/\n`);
  });

  const shutdown = () => {
    web.close();
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`ConvLab web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
