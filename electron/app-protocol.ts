/**
 * Serves the app's own pages from the `convlab://app/` scheme, so the window loads nothing but the files that were
 * built with it (a custom scheme instead of file://, which would open the whole disk to the page).
 */
import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './web/static-files';

export const APP_SCHEME = 'convlab';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppScheme(rendererRoot: string): void {
  const base = normalize(rendererRoot + sep);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(base, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (url.host !== 'app' || !file.startsWith(base)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}
