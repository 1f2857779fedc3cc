/**
 * The page's one handle on the main side: the preload's object in Electron, the host's connection otherwise. The
 * connection is published under the same name, so the page (and a test in it) meets one API in both hosts.
 */
import type { ConvLabApi } from '../../../electron/contract/contract';
import { connectWebHost } from './web-transport';

if (!window.convlab) window.convlab = connectWebHost();
export const api: ConvLabApi = window.convlab;
