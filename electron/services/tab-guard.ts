/**
 * The browser host serves any number of tabs from one set of services, but a lab's unsaved state (the unsaved flag
 * and its autosave) and the engine's training run are one each. This guard gives each to one tab at a time and
 * refuses another tab by naming the tab that holds it, instead of letting the tabs overwrite each other's autosave or
 * stop each other's run. A tab that closes releases what it held, and its training run is stopped. (Network training
 * runs are kept per tab where the handlers are made, net-runs.ts: each tab may have one, up to the host's bound.)
 */
import { isRunEnd } from '../contract/run-end';
import type { CallContext, ClientInfo, Handlers } from './router';
import { ServiceError } from './router';

export function guardTabs(handlers: Handlers): Handlers {
  /** The tab whose lab has unsaved changes (its autosave is the one on disk). */
  let editor: ClientInfo | null = null;
  /** The tab whose training run is going, and the run. */
  let trainer: { client: ClientInfo; runId: number | null } | null = null;
  const released = new WeakSet<ClientInfo>();

  function watch(client: ClientInfo): void {
    if (released.has(client)) return;
    released.add(client);
    client.signal.addEventListener('abort', () => {
      if (editor === client) editor = null;
      if (trainer?.client === client) {
        const runId = trainer.runId;
        trainer = null;
        // Nobody is left to watch it: stop the run rather than let it hold the engine.
        if (runId !== null) void Promise.resolve(handlers.trainControl({ runId, command: 'stop' }, { emit: () => undefined })).catch(() => undefined);
      }
    }, { once: true });
  }

  const other = (held: ClientInfo | null | undefined, client: ClientInfo | undefined): held is ClientInfo =>
    !!held && !!client && held.id !== client.id && !held.signal.aborted;

  function claimLab(client: ClientInfo | undefined, what: string): void {
    if (other(editor, client)) {
      throw new ServiceError('busy', `${what}: ${editor.label} has unsaved changes to its lab; this tab's changes are not autosaved until that tab saves, discards or closes`);
    }
    if (client) {
      editor = client;
      watch(client);
    }
  }

  return {
    ...handlers,
    async setDirty(request, context) {
      if (request.dirty) claimLab(context.client, 'unsaved changes');
      // A clean tab must not delete the autosave of the tab that holds unsaved work.
      else if (other(editor, context.client)) return {};
      else if (editor && editor === context.client) editor = null;
      return handlers.setDirty(request, context);
    },
    async autosave(request, context) {
      claimLab(context.client, 'autosave');
      return handlers.autosave(request, context);
    },
    async trainStart(request, context: CallContext) {
      const client = context.client;
      if (other(trainer?.client, client)) {
        throw new ServiceError('busy', `a training run started by ${trainer!.client.label} is going; stop it there, or close that tab, to train here`);
      }
      const mine = client ? { client, runId: null as number | null } : null;
      if (mine) {
        trainer = mine;
        watch(mine.client);
      }
      const relay: CallContext = {
        ...context,
        emit(event, payload) {
          if (event === 'training' && mine && trainer === mine && isRunEnd((payload as { kind: string }).kind)) trainer = null;
          context.emit(event, payload);
        },
      };
      try {
        const started = await handlers.trainStart(request, relay);
        if (mine) mine.runId = started.runId;
        return started;
      } catch (error) {
        if (trainer === mine) trainer = null;
        throw error;
      }
    },
    async trainControl(request, context) {
      if (other(trainer?.client, context.client) && trainer!.runId === request.runId) {
        throw new ServiceError('busy', `training run ${request.runId} belongs to ${trainer!.client.label}; only that tab can pause or stop it`);
      }
      return handlers.trainControl(request, context);
    },
  };
}
