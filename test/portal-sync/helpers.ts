import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { SYNC_PROTOCOL_VERSION, type LiveMessage } from '../../src-shared/sync/protocol';
import { call, demoId, type CallResult } from '../portal/helpers';

export * from '../portal/helpers';

export const ORG = demoId('org', 'organizer');
export const uuid = (): string => crypto.randomUUID();

export interface Mut {
  id: string;
  name: string;
  args: unknown;
  createdAt: string;
}
export const mut = (name: string, args: unknown, id = uuid()): Mut => ({ id, name, args, createdAt: new Date().toISOString() });

/** The device a test's pushes come from unless it names another: the portal tells one user's devices apart by it. */
export const TEST_DEVICE = uuid();

export async function push(base: string, token: string, mutations: Mut[], o: { protocolVersion?: number; clientId?: string } = {}): Promise<CallResult> {
  return call(base, 'POST', '/api/sync/push', {
    token,
    body: { protocolVersion: o.protocolVersion ?? SYNC_PROTOCOL_VERSION, clientId: o.clientId ?? TEST_DEVICE, mutations },
  });
}

export async function pull(base: string, token: string, q: { cursor?: number; limit?: number; scope?: string; protocolVersion?: number } = {}): Promise<CallResult> {
  const query: Record<string, string | number> = { protocolVersion: q.protocolVersion ?? SYNC_PROTOCOL_VERSION };
  if (q.cursor !== undefined) query.cursor = q.cursor;
  if (q.limit !== undefined) query.limit = q.limit;
  if (q.scope !== undefined) query.scope = q.scope;
  return call(base, 'GET', '/api/sync/pull', { token, query });
}

export interface Change {
  seq: number;
  entityType: string;
  entityId: string;
  scope: string;
  op: 'put' | 'delete';
  version: number;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Pulls every page from `cursor`; returns all changes, the last cursor and the last page's scopes. */
export async function pullAll(base: string, token: string, q: { cursor?: number; scope?: string; limit?: number } = {}): Promise<{ changes: Change[]; cursor: number; scopes: string[] }> {
  let cursor = q.cursor ?? 0;
  const changes: Change[] = [];
  for (;;) {
    const r = await pull(base, token, { ...q, cursor });
    if (r.status !== 200) throw new Error(`pull ${r.status} ${r.bytes.toString('utf8')}`);
    changes.push(...(r.json.changes as Change[]));
    cursor = r.json.cursor;
    if (!r.json.hasMore) return { changes, cursor, scopes: r.json.scopes };
  }
}

export async function employees(base: string, token: string, orgId = ORG): Promise<{ membershipId: string; userId: string; fullName: string; roles: string[]; version: number }[]> {
  const r = await call(base, 'GET', `/api/orgs/${orgId}/employees`, { token });
  if (r.status !== 200) throw new Error(`employees ${r.status}`);
  return r.json.employees;
}

/** A live socket that records its messages. */
export interface LiveClient {
  ws: WebSocket;
  messages: (LiveMessage & { at: number })[];
  next(pred: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage & { at: number }>;
  close(): Promise<void>;
}

export function openLive(base: string, token: string): Promise<LiveClient> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/sync/live?protocolVersion=${SYNC_PROTOCOL_VERSION}`, { headers: { authorization: `Bearer ${token}` } });
  const messages: (LiveMessage & { at: number })[] = [];
  const waiters: { pred: (m: LiveMessage) => boolean; resolve: (m: LiveMessage & { at: number }) => void }[] = [];
  ws.on('message', (raw) => {
    const m = { ...(JSON.parse(String(raw)) as LiveMessage), at: performance.now() };
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  const client: LiveClient = {
    ws,
    messages,
    next(pred, timeoutMs = 3000) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching live message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
        waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
    close: () => new Promise((resolve) => {
      if (ws.readyState === ws.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close();
    }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`live: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const ROOT = path.resolve(__dirname, '../..');

/** The portal as a child process (`npm run portal -- --demo`), as it runs for real; resolves with its URL. */
export function spawnPortal(dataDir: string, env: Record<string, string | undefined> = {}): Promise<{ url: string; child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  // The bundled portal runs in this very child (no tsx grandchild): the signal that ends the portal is seen here.
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/portal/cli.cjs'), '--data', dataDir, '--port', '0', '--demo'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`portal did not start: ${out} ${err}`)), 25_000);
    child.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, exited });
      }
    });
    void exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`portal exited (${code ?? signal}) before listening: ${err}`)); });
  });
}
