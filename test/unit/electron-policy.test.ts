import { describe, expect, it } from 'vitest';
import { join, resolve, sep } from 'node:path';
import { isAllowedExternalUrl, isAllowedNavigation, isAllowedPermission, isTrustedSender, resolveAppUrl, resolveUpdateUrl } from '../../src-main/electron/policy';

const root = resolve('/opt/seriktes/renderer');

describe('Electron shell policy (tested without the Electron binary)', () => {
  it('serves app:// files only from inside the renderer folder', () => {
    expect(resolveAppUrl('app://seriktes/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppUrl('app://seriktes/assets/font.woff2', root)).toBe(join(root, 'assets/font.woff2'));
    // Plain dot segments are resolved by the URL parser itself and stay inside the root.
    expect(resolveAppUrl('app://seriktes/../index.html', root)).toBe(join(root, 'index.html'));
    // Whatever the encoding, a resolved path never leaves the renderer folder.
    for (const tricky of ['app://seriktes/%2e%2e/%2e%2e/etc/passwd', 'app://seriktes/a/../../../../etc/passwd', 'app://seriktes/%252e%252e/x']) {
      const r = resolveAppUrl(tricky, root);
      expect(r === null || r.startsWith(root + sep), tricky).toBe(true);
    }
    for (const bad of [
      'app://seriktes/..%2fsecret',
      'app://seriktes/..%5c..%5csecret',
      'app://seriktes/a%00.js',
      'app://other/index.html',
      'app://user:pw@seriktes/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(resolveAppUrl(bad, root), bad).toBeNull();
    }
  });

  it('answers IPC only from the top frame of app://seriktes', () => {
    expect(isTrustedSender('app://seriktes/index.html', true)).toBe(true);
    expect(isTrustedSender('app://seriktes/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('app://seriktes.evil/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('opens only https links to allow-listed hosts', () => {
    expect(isAllowedExternalUrl('https://ncl.pki.gov.kz/')).toBe(true);
    expect(isAllowedExternalUrl('http://ncl.pki.gov.kz/')).toBe(false);
    expect(isAllowedExternalUrl('https://ncl.pki.gov.kz.evil.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://user@ncl.pki.gov.kz/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });

  it('keeps navigation inside the app', () => {
    expect(isAllowedNavigation('app://seriktes/index.html#/workspace')).toBe(true);
    expect(isAllowedNavigation('https://example.com')).toBe(false);
  });

  it('takes the update URL from policy, then build time, https only', () => {
    expect(resolveUpdateUrl('https://updates.example/seriktes', undefined)).toBe('https://updates.example/seriktes');
    expect(resolveUpdateUrl('https://a.example/', 'https://b.example/')).toBe('https://b.example/');
    expect(resolveUpdateUrl('https://a.example/', 'http://b.example/')).toBeNull();
    expect(resolveUpdateUrl(undefined, undefined)).toBeNull();
    expect(resolveUpdateUrl('ftp://a.example/', undefined)).toBeNull();
  });
  it('allows desktop notifications to the app itself and nothing else', () => {
    expect(isAllowedPermission('notifications', 'app://seriktes/index.html')).toBe(true);
    expect(isAllowedPermission('notifications', 'app://seriktes')).toBe(true);
    expect(isAllowedPermission('notifications', 'https://evil.example/')).toBe(false);
    expect(isAllowedPermission('notifications', undefined)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) expect(isAllowedPermission(p, 'app://seriktes/index.html')).toBe(false);
  });
});
