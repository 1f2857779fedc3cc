/** Binds the contract's calls to the main-side services; shared by main.ts and the browser host. */
import type { AppInfo } from '../contract/contract';
import type { EngineHost } from './engine-host';
import type { Handlers } from './router';
import type { SettingsService } from './settings';

export interface Services {
  engine: EngineHost;
  settings: SettingsService;
  info: AppInfo;
}

export function createHandlers({ engine, settings, info }: Services): Handlers {
  return {
    appInfo: () => info,
    getSettings: () => settings.get(),
    setSettings: (patch) => settings.set(patch),
    forward: (request) => engine.forward(request),
    probe: (request) => engine.probe(request),
    trainStart: (request, context) => engine.trainStart(request, (event) => context.emit('training', event)),
    trainControl: (request) => engine.trainControl(request),
    lossSurface: (request) => engine.lossSurface(request),
  };
}
