import { AppError, isErrorCode } from '../../src-shared/rpc/errors';

export interface PortalClientOptions {
  baseUrl: string;
  token?: () => string | null;
  timeoutMs?: number;
  /** Bytes received on the wire, for the sync bench and progress. */
  onBytes?: (n: number) => void;
}

/**
 * HTTP to the portal with the failures a desktop user meets mapped to
 * translatable codes: unreachable → `portal_unreachable`, slow → `timeout`,
 * 401 → `session_expired`, anything the portal refused → its own code.
 */
export class PortalClient {
  constructor(private readonly opts: PortalClientOptions) {}

  get baseUrl() {
    return this.opts.baseUrl.replace(/\/+$/, '');
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    init: { auth?: boolean; timeoutMs?: number; signal?: AbortSignal; raw?: Uint8Array } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip' };
    if (init.raw) headers['Content-Type'] = 'application/octet-stream';
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.auth !== false) {
      const token = this.opts.token?.();
      if (!token) throw new AppError('session_expired', 'Not signed in');
      headers.Authorization = `Bearer ${token}`;
    }
    let res: Response;
    const started = Date.now();
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: init.raw ? (init.raw as unknown as BodyInit) : body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(init.timeoutMs ?? this.opts.timeoutMs ?? 15_000), ...(init.signal ? [init.signal] : [])]),
      });
    } catch (err) {
      if (process.env.SERIKTES_DEBUG_SYNC) process.stderr.write(`portal ${method} ${path} failed after ${Date.now() - started} ms: ${String(err)}\n`);
      if ((err as Error).name === 'TimeoutError') throw new AppError('timeout', 'The portal did not answer in time');
      if (init.signal?.aborted) throw new AppError('timeout', 'Cancelled: a new sync started');
      throw new AppError('portal_unreachable', 'The portal cannot be reached');
    }
    if (process.env.SERIKTES_DEBUG_SYNC) process.stderr.write(`portal ${method} ${path} → ${res.status} in ${Date.now() - started} ms\n`);
    const length = Number(res.headers.get('content-length') ?? NaN);
    const text = await res.text();
    this.opts.onBytes?.(Number.isFinite(length) ? length : text.length);
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.ok) return json as T;
    const e = (json ?? {}) as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
    if (res.status === 401 && init.auth !== false) throw new AppError('session_expired', 'The session has expired');
    const code = isErrorCode(e.code) ? e.code : res.status === 426 ? 'upgrade_required' : res.status >= 500 ? 'portal_unreachable' : 'internal';
    throw new AppError(code, typeof e.message === 'string' ? e.message : `Portal answered ${res.status}`, e.details);
  }

  liveUrl(): string {
    return this.baseUrl.replace(/^http/, 'ws') + '/api/sync/live';
  }
}

/** Failures that mean "try again later" rather than "the portal said no". */
export const isTransient = (err: unknown): boolean =>
  err instanceof AppError && (err.code === 'portal_unreachable' || err.code === 'timeout' || err.code === 'offline');
