/**
 * The page's only window onto the main side: one object, `window.convlab`, with a named function per contract
 * call and `on` for the contract's events. Nothing else of Node or Electron reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type EventName } from './contract/contract';

const api: Record<string, unknown> = { host: 'electron' };
for (const name of CALL_NAMES) {
  api[name] = (request: unknown) => ipcRenderer.invoke(`convlab:${name}`, request);
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`there is no event named "${String(event)}"`);
  // Wrap, so the page never receives the IpcRendererEvent (and its sender) itself.
  const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(`convlab-event:${event}`, handler);
  return () => ipcRenderer.removeListener(`convlab-event:${event}`, handler);
};

contextBridge.exposeInMainWorld('convlab', api);
