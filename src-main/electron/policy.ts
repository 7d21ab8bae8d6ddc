/**
 * Security decisions of the Electron shell as plain functions (no electron
 * import), so they are unit-tested under Node even where the Electron binary
 * is absent. main.ts only wires them to Electron's hooks.
 */
import { isAbsolute, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'seriktes';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Hosts the app may open in the user's browser (help pages, NCALayer download). */
export const EXTERNAL_HOST_ALLOWLIST = ['pki.gov.kz', 'ncl.pki.gov.kz', 'egov.kz', 'www.egov.kz', 'qpartners.kz'];

/** Maps an app:// URL to a file under the renderer folder, or null if it escapes it. */
export function resolveAppUrl(requestUrl: string, rendererRoot: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const rel = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = resolve(rendererRoot);
  const target = resolve(root, rel);
  const r = relative(root, target);
  if (r === '' || r.startsWith('..') || isAbsolute(r)) return null;
  return target;
}

/** IPC is answered only for the top frame of our own origin. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links leave the app only as https to an allow-listed host; everything else is refused. */
export function isAllowedExternalUrl(raw: string, allowlist = EXTERNAL_HOST_ALLOWLIST): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && !u.username && !u.password && allowlist.includes(u.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** In-app navigation stays inside app://seriktes; anything else is denied. */
export function isAllowedNavigation(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The update feed: an administrator policy (environment or policy file)
 * wins over the URL fixed at build time; only https is ever accepted, so a
 * user or a malware-set variable cannot point updates at plain http.
 */
export function resolveUpdateUrl(buildTimeUrl: string | undefined, policyUrl: string | undefined): string | null {
  const candidate = policyUrl?.trim() || buildTimeUrl?.trim();
  if (!candidate) return null;
  try {
    const u = new URL(candidate);
    return u.protocol === 'https:' && !u.username && !u.password ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Web permissions the app's own pages may have: desktop notifications only; everything else is denied. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['notifications'];
export function isAllowedPermission(permission: string, requestingUrl: string | undefined): boolean {
  if (!ALLOWED_PERMISSIONS.includes(permission) || !requestingUrl) return false;
  // app: is not a "special" URL scheme, so URL.origin is 'null'; compare the text instead.
  return requestingUrl === APP_ORIGIN || requestingUrl.startsWith(`${APP_ORIGIN}/`);
}
