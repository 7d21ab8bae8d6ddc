import type { RpcTransport } from '../../src-shared/rpc/client';
import type { Envelope } from '../../src-shared/rpc/define';
import type { FileInfo } from '../../src-shared/rpc/file-methods';

/** The page has no session: it must be opened through the `app url:` link the host printed. */
export class NoSessionError extends Error {
  constructor() {
    super('no session');
    this.name = 'NoSessionError';
  }
}

type Pending = { resolve: (e: Envelope<unknown>) => void; method: string; input: unknown };

/**
 * The browser host's transport: exchanges the one-time token from the URL
 * for an HttpOnly cookie, then speaks the RPC contract over one WebSocket,
 * reconnecting with backoff (the back end may be restarted under us).
 */
export async function browserTransport(): Promise<RpcTransport> {
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  if (token) {
    const res = await fetch('/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
    });
    // Drop the token from the address bar and history whatever the answer.
    window.history.replaceState(null, '', window.location.pathname + window.location.hash);
    if (!res.ok && res.status !== 401) throw new Error(`session exchange failed: ${res.status}`);
  }

  const listeners = new Set<(event: string, payload: unknown) => void>();
  const pending = new Map<number, Pending>();
  const queue: number[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let attempt = 0;

  const send = (id: number) => {
    const p = pending.get(id);
    if (p && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, method: p.method, input: p.input }));
    else if (p) queue.push(id);
  };

  let everOpened = false;
  const connect = () =>
    new Promise<void>((resolveFirst, rejectFirst) => {
      const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/rpc`);
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        everOpened = true;
        for (const l of listeners) l('host.connection', { connected: true });
        // Calls that waited for the socket go out now. (Calls already sent when it dropped were
        // answered with an error on close: re-sending one could apply an action twice.)
        const waiting = [...queue];
        queue.length = 0;
        for (const id of waiting) send(id);
        resolveFirst();
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as { id?: number; reply?: Envelope<unknown>; event?: string; payload?: unknown };
        if (msg.event) {
          for (const l of listeners) l(msg.event, msg.payload);
        } else if (typeof msg.id === 'number' && msg.reply) {
          pending.get(msg.id)?.resolve(msg.reply);
          pending.delete(msg.id);
        }
      };
      ws.onclose = (ev) => {
        socket = null;
        // The back end may or may not have done what an in-flight call asked: say so rather than guess.
        for (const [id, p] of pending) {
          if (queue.includes(id)) continue;
          p.resolve({ ok: false, error: { code: 'timeout', message: 'The app back end stopped before answering' } });
          pending.delete(id);
        }
        if (!everOpened) {
          // Never connected: no session cookie (the page was opened without the printed link).
          rejectFirst(new NoSessionError());
          return;
        }
        for (const l of listeners) l('host.connection', { connected: false, code: ev.code });
        const delay = Math.min(5000, 250 * 2 ** attempt++);
        window.setTimeout(() => void connect(), delay);
        resolveFirst();
      };
    });

  await connect();

  return {
    invoke(method, input) {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { resolve, method, input });
        send(id);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Browser-host upload: the file goes to main, which answers with an opaque handle. */
export function uploadFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FileInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as { ok?: boolean; value?: FileInfo; code?: string; message?: string };
        if (xhr.status === 200 && body.ok && body.value) resolve(body.value);
        else reject(Object.assign(new Error(body.message ?? 'upload failed'), { code: body.code ?? 'file_unreadable' }));
      } catch {
        reject(Object.assign(new Error('upload failed'), { code: 'file_unreadable' }));
      }
    };
    xhr.onerror = () => reject(Object.assign(new Error('upload failed'), { code: 'file_unreadable' }));
    xhr.send(file);
  });
}
