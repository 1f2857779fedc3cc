// The page's API as the specs see it inside page.evaluate (the same declaration as the renderer's env.d.ts).
import type { ConvLabApi } from '../electron/contract/contract';

declare global {
  interface Window {
    convlab?: ConvLabApi;
  }
}
