/// <reference types="vite/client" />
import type { ConvLabApi } from '../../electron/contract/contract';

declare global {
  interface Window {
    /** Present in Electron (set by the preload); absent in a browser, where the host's connection stands in. */
    convlab?: ConvLabApi;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
