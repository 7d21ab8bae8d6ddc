import WebSocket from 'ws';
import type { Envelope } from '../../src-shared/rpc/define';
import { createRpcClient, type RpcClient } from '../../src-shared/rpc/client';
import type { RunningHost } from './processes';

/**
 * Talks to a browser-host process exactly as the page does: exchanges the
 * one-time token for the session cookie, then speaks the RPC contract over
 * the WebSocket. Used by tests that drive app back ends as real processes.
 */
export async function connectRpc(host: RunningHost, existingCookie?: string): Promise<RpcClient & { events: { event: string; payload: unknown }[]; close(): void }> {
  let cookie = existingCookie;
  if (!cookie) {
    const token = new URL(host.appUrl).searchParams.get('token');
    const res = await fetch(`${host.origin}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: host.origin },
      body: JSON.stringify({ token }),
    });
    if (res.status !== 204) throw new Error(`session exchange failed: ${res.status}`);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc`, { headers: { Origin: host.origin, Cookie: cookie } });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const events: { event: string; payload: unknown }[] = [];
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; reply?: Envelope<unknown>; event?: string; payload?: unknown };
    if (msg.event) {
      events.push({ event: msg.event, payload: msg.payload });
      for (const l of listeners) l(msg.event, msg.payload);
    } else if (typeof msg.id === 'number' && msg.reply) {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    }
  });
  const client = createRpcClient({
    invoke: (method, input) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, input }));
      }),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
  return Object.assign(client, { events, close: () => ws.close() });
}
