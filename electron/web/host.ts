/**
 * The browser host (`npm run web`): serves the built renderer on 127.0.0.1 and binds the same services and the
 * same contract as main.ts over a WebSocket, validating through the same router. Its first line of output is the
 * URL it serves. Flags: --port N (default: a free port), --data-dir DIR (where settings live).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_MESSAGE_BYTES, MAX_UNSENT_ANSWER_BYTES } from '../contract/transport-limits';
import { createAutosave } from '../services/autosave';
import { createDatasetService } from '../services/dataset';
import { createDatasetImageStore } from '../services/dataset-images';
import { SYSTEM_DATASET_FOLDER } from '../services/dataset-files';
import { createEngineHost } from '../services/engine-host';
import { createEnginePool } from '../services/engine-pool';
import { createFilesService, NO_DIALOGS } from '../services/files';
import { createLabCodecWorker } from '../services/lab-codec';
import { createRecentFiles } from '../services/recent-files';
import { createHandlers, QUEUE_BOUNDS } from '../services/handlers';
import { createEngineQueue, twoLanes } from '../services/engine-queue';
import { createRouter, ServiceError } from '../services/router';
import { createSettingsService } from '../services/settings';
import { sweepLeftovers } from '../services/startup-sweep';
import { guardTabs } from '../services/tab-guard';
import { createWebServer } from './web-server';
import { parseHostArgs } from './host-args';
import { version } from '../../package.json';

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const dataDir = args.dataDir ?? join(homedir(), '.config', 'ConvLab', 'web');
  const recent = await createRecentFiles(join(dataDir, 'recent.json'));
  // Before anything is written: what killed saves left behind goes.
  await sweepLeftovers(dataDir, recent);
  const settings = await createSettingsService(join(dataDir, 'settings.json'));
  // Run from its TypeScript source (tests: `node --import tsx electron/web/host.ts`), the worker is the source too.
  const fromSource = import.meta.url.endsWith('.ts');
  const workerFile = fromSource ? new URL('../services/engine-worker.ts', import.meta.url) : new URL('./engine-worker.js', import.meta.url);
  const workerOptions = fromSource ? { execArgv: ['--import', 'tsx'] } : {};
  // Heavy work spreads over a pool of workers; a worker of its own answers drawing, so a stroke never waits on it.
  // Its workers run in the background: a flood of heavy requests never starves the thread that reads every page.
  const engine = createEnginePool(workerFile, { ...workerOptions, size: settings.get().engineWorkers, background: true });
  const interactive = createEngineHost(workerFile, workerOptions);
  // No native dialogs here: the page opens labs by upload and saves them as downloads, through the same gate.
  // Large labs are gated and written in a worker of their own, so no page's request waits behind one.
  const labCodecFile = fromSource ? new URL('../services/lab-codec-worker.ts', import.meta.url) : new URL('./lab-codec-worker.js', import.meta.url);
  const files = createFilesService(NO_DIALOGS, recent, await createAutosave(dataDir), undefined, createLabCodecWorker(labCodecFile, workerOptions));
  const dataset = await createDatasetService({
    appFolder: join(dataDir, 'datasets', 'fashion-mnist'),
    systemFolder: SYSTEM_DATASET_FOLDER,
    statePath: join(dataDir, 'dataset.json'),
    baseUrl: process.env.CONVLAB_DATASET_URL,
    // A page cannot browse this machine's folders: the user types the path, and only an absolute one is taken.
    async chooseFolder(typed) {
      if (!typed || !isAbsolute(typed)) throw new ServiceError('invalid-request', 'type the full path of the folder that holds the four files');
      return typed;
    },
  });
  const systemLocale = process.env.LANG?.split('.')[0]?.replace('_', '-') || Intl.DateTimeFormat().resolvedOptions().locale;
  // Many tabs, one lab state and one training run: the guard gives each to one tab and names it to the others.
  const route = createRouter(
    guardTabs(createHandlers({
      engine,
      queue: createEngineQueue({ lanes: twoLanes(interactive, engine, Math.max(1, engine.size - 1)), ...QUEUE_BOUNDS }),
      settings,
      info: { name: 'ConvLab', version, host: 'web', platform: process.platform, systemLocale },
      files,
      // A browser tab closes itself; the page guards unsaved changes with beforeunload.
      window: { close: () => undefined },
      dataset,
      datasetImages: createDatasetImageStore(dataset),
    })),
  );

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
    void Promise.all([engine.close(), interactive.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`ConvLab web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
