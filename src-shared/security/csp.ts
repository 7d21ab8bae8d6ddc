/**
 * One Content-Security-Policy for both hosts (the Electron window's app://
 * responses and the browser host's HTTP responses). No inline script, no
 * eval; 'wasm-unsafe-eval' only so pdf.js can run its wasm decoders (JPEG 2000
 * scans) from our own origin. `connectExtra` lets the browser host allow its
 * own WebSocket origin explicitly for engines that do not map 'self' to ws:.
 */
export function contentSecurityPolicy(connectExtra: string[] = []): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...connectExtra],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'self'", 'blob:'],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers every response of the renderer's origin carries. */
export function securityHeaders(connectExtra: string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connectExtra),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}
