import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import { createRpcClient } from '../../src-shared/rpc/client';
import { rpcMethods } from '../../src-shared/rpc/contract';

type Ctx = { calls: string[] };

function handlers(overrides: Partial<Handlers<Ctx>> = {}): Handlers<Ctx> {
  // A subset is enough here: dispatch never reaches the methods these tests do not call.
  const base: Pick<Handlers<Ctx>, 'app.info' | 'settings.get' | 'settings.setLanguage' | 'sync.status' | 'files.openDialog' | 'files.info' | 'files.release'> = {
    'app.info': (_i, ctx) => {
      ctx.calls.push('app.info');
      return { name: 'Seriktes', version: '1', hostKind: 'browser', platform: 'linux', portalUrl: 'http://x' };
    },
    'settings.get': () => ({ language: 'kk' }),
    'settings.setLanguage': ({ language }) => ({ language }),
    'sync.status': () => ({ state: 'offline', pending: 0, rejected: 0, lastSyncAt: null, progress: null }),
    'files.openDialog': () => ({ files: [] }),
    'files.info': ({ handle }) => ({ handle, name: 'a.pdf', size: 1, contentType: 'application/pdf' }),
    'files.release': () => ({ released: true }),
  };
  return { ...base, ...overrides } as Handlers<Ctx>;
}

describe('RPC dispatch', () => {
  it('refuses unknown methods, including prototype keys', async () => {
    const ctx = { calls: [] };
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await dispatch(handlers(), name, {}, ctx);
      expect(r).toEqual({ ok: false, error: { code: 'unknown_method', message: 'Unknown method' } });
    }
    expect(ctx.calls).toEqual([]);
  });

  it('validates input with zod before the handler runs, and names the bad field', async () => {
    const ctx = { calls: [] };
    const r = await dispatch(handlers(), 'settings.setLanguage', { language: 'de' }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(JSON.stringify(r.error.details)).toContain('language');
    }
    const extra = await dispatch(handlers(), 'app.info', { path: '/etc/passwd' }, ctx);
    expect(extra.ok).toBe(false);
    const badHandle = await dispatch(handlers(), 'files.info', { handle: '/etc/passwd' }, ctx);
    expect(badHandle.ok).toBe(false);
    expect(ctx.calls).toEqual([]);
  });

  it('wraps results and AppErrors in envelopes; hides unexpected errors', async () => {
    const ctx = { calls: [] };
    expect(await dispatch(handlers(), 'settings.get', {}, ctx)).toEqual({ ok: true, value: { language: 'kk' } });
    const denied = await dispatch(handlers({ 'settings.get': () => { throw new AppError('forbidden', 'no', { why: 'role' }); } }), 'settings.get', {}, ctx);
    expect(denied).toEqual({ ok: false, error: { code: 'forbidden', message: 'no', details: { why: 'role' } } });
    const seen: unknown[] = [];
    const crashed = await dispatch(handlers({ 'settings.get': () => { throw new Error('/home/u/secret path'); } }), 'settings.get', {}, ctx, (_m, e) => seen.push(e));
    expect(crashed).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
    expect(seen).toHaveLength(1);
  });

  it('checks outputs against the contract so a handler cannot leak extra shapes', async () => {
    const r = await dispatch(handlers({ 'settings.get': () => ({ language: 'xx' }) as never }), 'settings.get', {}, { calls: [] });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });

  it('the typed client turns error envelopes into AppError with the code', async () => {
    const client = createRpcClient({
      invoke: (m, i) => dispatch(handlers(), m, i, { calls: [] }),
      subscribe: () => () => undefined,
    });
    await expect(client.call('settings.get', {})).resolves.toEqual({ language: 'kk' });
    await expect(client.call('settings.setLanguage', { language: 'zz' as never })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('every method has zod input and output schemas', () => {
    for (const [name, def] of Object.entries(rpcMethods)) {
      expect(typeof def.input.safeParse, name).toBe('function');
      expect(typeof def.output.safeParse, name).toBe('function');
    }
  });
});
