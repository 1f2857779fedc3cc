/**
 * The router's handlers of the engine calls, one per entry of engine-calls.ts: a priced call waits its turn in the
 * engine queue; a run reports its events to the page that started it; a call that reads the dataset gets its folder;
 * a page's own call names its page (network training is kept per page, net-runs.ts).
 */
import type { CallName } from '../contract/contract';
import { ServiceError, type CallContext, type Handlers } from '../services/router';
import { writeExtras } from './engine-call-entry';
import { ENGINE_CALL_NAMES, engineCall, type EngineCallName } from './engine-calls';
import { callByName, type EngineHost } from './engine-host';
import type { EngineQueue } from './engine-queue';

/** The page a call comes from, as the engine names a network's owner ('' for a host with one page, the desktop window). */
export const ownerOf = (context: CallContext): string => (context.client ? `page ${context.client.id}` : '');

/** Where the dataset's complete folder is, or null while it is not complete. */
export type ReadyFolder = () => Promise<string | null>;

type AnyHandler = (request: unknown, context: CallContext) => Promise<unknown>;

function handlerOf(name: EngineCallName, engine: EngineHost, queue: EngineQueue, readyFolder: ReadyFolder): AnyHandler {
  const entry = engineCall(name)!;
  const { job, check, events, dataset } = entry;
  if (job) return (request, { client }) => queue.run(client, job(request as never), (e) => callByName(e, name, request, []));
  return async (request, context) => {
    check?.(request as never);
    let folder: string | null = null;
    if (dataset) {
      folder = await readyFolder();
      if (!folder && dataset === 'required') {
        throw new ServiceError('bad-file', 'the dataset is not complete: open the Dataset tab to download it or choose its folder');
      }
    }
    const onEvent = events ? (event: never) => context.emit(events, event) : undefined;
    return callByName(engine, name, request, writeExtras(entry, { folder, onEvent, team: [], owner: ownerOf(context) }));
  };
}

/** A handler per engine call; `readyFolder` is asked only by the calls that read the dataset. */
export function createEngineHandlers(engine: EngineHost, queue: EngineQueue, readyFolder: ReadyFolder): Pick<Handlers, EngineCallName & CallName> {
  return Object.fromEntries(ENGINE_CALL_NAMES.map((name) => [name, handlerOf(name, engine, queue, readyFolder)])) as unknown as Pick<Handlers, EngineCallName>;
}
