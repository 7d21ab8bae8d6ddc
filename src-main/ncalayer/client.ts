/**
 * Client of NCALayer's local WebSocket (and KAZTOKEN desktop, which speaks the same API).
 *
 * - TLS is always verified: NCALayer's certificate chains to the NCA RK root, which Node
 *   does not know, so the NCA roots are passed as `ca` (configurable bundle).
 * - Answers carry no request id: one request at a time per socket. When a request times
 *   out or is cancelled, the socket is closed, so a late answer can never be taken for the
 *   answer to the next request; the next call opens a fresh socket.
 */
import WebSocket from 'ws';
import { AppError } from '../../src-shared/rpc/errors';
import {
  BASICS,
  COMMON_UTILS,
  HEARTBEAT,
  KAZTOKEN_EXTENSIONS,
  NCALAYER_DEFAULT_URL,
  NCALAYER_INSTALL_URL,
  basicsResult,
  commonUtilsResult,
  isModuleMissing,
  parseGreeting,
  type BasicsSignArgs,
  type KeyInfo,
  type NcaMessage,
} from './protocol';

export interface NcaLayerClientOptions {
  url?: string;
  /** PEM bundle(s) of the CA that issued NCALayer's TLS certificate (the NCA RK roots). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Where the roots were looked for (trust-roots.ts); shown in `ncalayer_tls_untrusted` details. */
  trustSearched?: string[];
  /** Opening the socket and receiving the greeting. */
  connectTimeoutMs?: number;
  /** Calls that show no dialog (heartbeat, getActiveTokens, changeLocale…). */
  quickTimeoutMs?: number;
  /** Calls that wait for the user in an NCALayer dialog (choose key, enter PIN). */
  dialogTimeoutMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface OpenSocket {
  ws: WebSocket;
  version: string;
  /** Set while a request waits; the socket's message/close handlers deliver to it. */
  pending: { resolve(text: string): void; reject(err: unknown): void } | null;
  closed: boolean;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function connectError(err: unknown, trustSearched?: string[]): AppError {
  const code = (err as { code?: string })?.code ?? '';
  if (TLS_CODES.has(code)) {
    return new AppError('ncalayer_tls_untrusted', 'NCALayer TLS certificate is not trusted: install NCALayer from ncl.pki.gov.kz (it adds the NCA RK roots) or ask the administrator to place nca-roots.pem', {
      tlsCode: code,
      installUrl: NCALAYER_INSTALL_URL,
      ...(trustSearched ? { searched: trustSearched } : {}),
    });
  }
  return new AppError('ncalayer_not_running', 'NCALayer is not running', { installUrl: NCALAYER_INSTALL_URL, ...(code ? { socketCode: code } : {}) });
}

export class NcaLayerClient {
  private sock: OpenSocket | null = null;
  private opening: Promise<OpenSocket> | null = null;
  /** Serializes requests: the protocol cannot tell answers apart. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly url: string;

  constructor(private readonly o: NcaLayerClientOptions = {}) {
    this.url = o.url ?? NCALAYER_DEFAULT_URL;
  }

  /** Opens (or reuses) the socket; resolves with the version from NCALayer's greeting. */
  async connect(): Promise<string> {
    return (await this.socket()).version;
  }

  private socket(): Promise<OpenSocket> {
    if (this.sock && !this.sock.closed) return Promise.resolve(this.sock);
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private open(): Promise<OpenSocket> {
    return new Promise<OpenSocket>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(this.url, { ...(this.o.ca ? { ca: this.o.ca } : {}), handshakeTimeout: this.o.connectTimeoutMs ?? 5000, perMessageDeflate: false });
      } catch (err) {
        reject(connectError(err, this.o.trustSearched));
        return;
      }
      let settled = false;
      const timer = setTimeout(() => fail(new AppError('ncalayer_not_running', 'NCALayer did not greet in time', { installUrl: NCALAYER_INSTALL_URL })), this.o.connectTimeoutMs ?? 5000);
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      };
      ws.once('error', (err) => fail(connectError(err, this.o.trustSearched)));
      ws.once('close', () => fail(new AppError('ncalayer_not_running', 'NCALayer closed the connection', { installUrl: NCALAYER_INSTALL_URL })));
      ws.once('message', (data) => {
        if (settled) return;
        let version: string;
        try {
          version = parseGreeting(data.toString());
        } catch (err) {
          fail(err);
          return;
        }
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners();
        const s: OpenSocket = { ws, version, pending: null, closed: false };
        ws.on('message', (d) => {
          const p = s.pending;
          s.pending = null;
          // An answer nobody waits for cannot be matched to anything: drop the socket.
          if (!p) this.drop(s);
          else p.resolve(d.toString());
        });
        const lost = () => {
          s.closed = true;
          const p = s.pending;
          s.pending = null;
          p?.reject(new AppError('ncalayer_connection_lost', 'The connection to NCALayer was lost'));
        };
        ws.on('close', lost);
        ws.on('error', lost);
        this.sock = s;
        resolve(s);
      });
    });
  }

  private drop(s: OpenSocket) {
    s.closed = true;
    s.ws.removeAllListeners();
    s.ws.on('error', () => undefined);
    s.ws.terminate();
    if (this.sock === s) this.sock = null;
  }

  /** Sends one frame and waits for the next frame on the same socket. */
  sendRaw(text: string, o: CallOptions = {}): Promise<string> {
    const run = async () => {
      if (o.signal?.aborted) throw new AppError('ncalayer_cancelled', 'Cancelled');
      const s = await this.socket();
      // Cancelled while the socket was connecting: an 'abort' listener added now would never fire, and the
      // request would wait for NCALayer's dialog (found by a loaded CI run). Nothing was sent yet.
      if (o.signal?.aborted) throw new AppError('ncalayer_cancelled', 'Cancelled');
      return new Promise<string>((resolve, reject) => {
        const timeoutMs = o.timeoutMs ?? this.o.quickTimeoutMs ?? 10_000;
        const done = () => {
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
        };
        const abandon = (err: AppError) => {
          s.pending = null;
          done();
          // The answer may still come later: a new socket makes sure it is never misread.
          this.drop(s);
          reject(err);
        };
        const timer = setTimeout(() => abandon(new AppError('ncalayer_timeout', 'NCALayer did not answer in time', { timeoutMs })), timeoutMs);
        const onAbort = () => abandon(new AppError('ncalayer_cancelled', 'Cancelled'));
        o.signal?.addEventListener('abort', onAbort, { once: true });
        s.pending = {
          resolve: (t) => {
            done();
            resolve(t);
          },
          reject: (e) => {
            done();
            reject(e);
          },
        };
        s.ws.send(text, (err) => {
          if (err && s.pending) s.pending.reject(new AppError('ncalayer_connection_lost', 'Could not send to NCALayer'));
        });
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async request(msg: NcaMessage, o: CallOptions = {}): Promise<NcaMessage> {
    const text = await this.sendRaw(JSON.stringify(msg), o);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as NcaMessage;
    } catch {
      // fall through
    }
    throw new AppError('ncalayer_error', 'NCALayer answered something that is not JSON', { code: 'BAD_RESPONSE' });
  }

  /** `--heartbeat--` is echoed back verbatim; proves the socket is alive. */
  async heartbeat(o: CallOptions = {}): Promise<void> {
    const answer = await this.sendRaw(HEARTBEAT, o);
    if (answer !== HEARTBEAT) throw new AppError('ncalayer_error', 'Unexpected heartbeat answer', { code: 'BAD_HEARTBEAT' });
  }

  /** KAZTOKEN desktop answers `getVersion`; NCALayer does not know that module. */
  async product(o: CallOptions = {}): Promise<{ name: 'NCALayer' | 'KAZTOKEN desktop'; version: string }> {
    const greeting = await this.connect();
    const msg = await this.request({ module: KAZTOKEN_EXTENSIONS, method: 'getVersion' }, o);
    if (msg.code === '200' && typeof msg.responseObject === 'object' && msg.responseObject) {
      const r = msg.responseObject as { name?: unknown; version?: unknown };
      if (r.name === 'KAZTOKENdesktop') return { name: 'KAZTOKEN desktop', version: String(r.version ?? greeting) };
    }
    return { name: 'NCALayer', version: greeting };
  }

  /** `kz.gov.pki.knca.basics` → `sign`. Resolves with the result text(s); throws `ncalayer_cancelled` on cancel. */
  async basicsSign(args: BasicsSignArgs, o: CallOptions = {}): Promise<string | string[]> {
    const msg = await this.request({ module: BASICS, method: 'sign', args }, { timeoutMs: this.o.dialogTimeoutMs ?? 300_000, ...o });
    return basicsResult(msg);
  }

  /** Same, but tells the caller when the basics module is absent (old NCALayer) instead of failing. */
  async basicsSignOrMissing(args: BasicsSignArgs, o: CallOptions = {}): Promise<string | string[] | 'module_missing'> {
    const msg = await this.request({ module: BASICS, method: 'sign', args }, { timeoutMs: this.o.dialogTimeoutMs ?? 300_000, ...o });
    if (isModuleMissing(msg)) return 'module_missing';
    return basicsResult(msg);
  }

  /** Any commonUtils method with positional args (the typed helpers below cover what the app uses). */
  async commonUtils(method: string, args: unknown[] | undefined, o: CallOptions = {}): Promise<unknown> {
    const msg = await this.request({ module: COMMON_UTILS, method, ...(args !== undefined ? { args } : {}) }, o);
    return commonUtilsResult(msg);
  }

  async getActiveTokens(o: CallOptions = {}): Promise<string[]> {
    const r = await this.commonUtils('getActiveTokens', undefined, o);
    return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
  }

  async getKeyInfo(storage: string, o: CallOptions = {}): Promise<KeyInfo> {
    const r = await this.commonUtils('getKeyInfo', [storage], { timeoutMs: this.o.dialogTimeoutMs ?? 300_000, ...o });
    return (typeof r === 'object' && r ? r : {}) as KeyInfo;
  }

  async createCAdESFromBase64(storage: string, keyType: string, base64Data: string, attached: boolean, o: CallOptions = {}): Promise<string> {
    const r = await this.commonUtils('createCAdESFromBase64', [storage, keyType, base64Data, attached], { timeoutMs: this.o.dialogTimeoutMs ?? 300_000, ...o });
    if (typeof r !== 'string') throw new AppError('ncalayer_error', 'NCALayer returned no signature', { code: 'BAD_RESULT' });
    return r;
  }

  async createCAdESFromBase64Hash(storage: string, keyType: string, base64Hash: string, o: CallOptions = {}): Promise<string> {
    const r = await this.commonUtils('createCAdESFromBase64Hash', [storage, keyType, base64Hash], { timeoutMs: this.o.dialogTimeoutMs ?? 300_000, ...o });
    if (typeof r !== 'string') throw new AppError('ncalayer_error', 'NCALayer returned no signature', { code: 'BAD_RESULT' });
    return r;
  }

  async changeLocale(locale: string, o: CallOptions = {}): Promise<void> {
    await this.commonUtils('changeLocale', [locale], o);
  }

  close(): void {
    if (this.sock) this.drop(this.sock);
  }
}
