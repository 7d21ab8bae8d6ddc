/**
 * The app back end (browser-host process, its own SQLite cache) against a
 * real portal through a loopback proxy that plays the network: the same
 * invalid competition gets the same error codes from the app's RPC offline
 * and from the portal's API; step 1 and autosaved fields survive offline
 * work; look-ups fail clearly offline and answer from the cache when they can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHostProcess, tempDir, type RunningHost } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import type { AppError } from '../../src-shared/rpc/errors';
import { isValidBin, withCheckDigit } from '../../src-shared/domain/identity';
import { DEMO_PASSWORD, ORGANIZER_ORG, addUser, demoId, STATE_PARTNER_BIN, call, directNegotiations, mut, pushOk, pushOne, signIn, startTestPortal, upload, validCompetition } from './helpers';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let proxy: TcpProxy;
let host: RunningHost;
let rpc: Awaited<ReturnType<typeof connectRpc>>;

async function rpcError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the call to fail');
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  portal = await startTestPortal({ tickMs: 0 });
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = await proxy.start();
  host = await startBrowserHostProcess({ dataDir: tempDir('competition-app'), portalUrl, pullIntervalMs: 0 });
  rpc = await connectRpc(host);
  await rpc.call('auth.signIn', { login: 'organizer@demo.seriktes.kz', password: DEMO_PASSWORD });
  await rpc.call('sync.now', {});
}, 180_000);

afterAll(async () => {
  rpc?.close();
  await host?.stop('SIGKILL');
  await proxy?.close();
  await portal?.cleanup();
});

describe('competition through the app back end', () => {
  it('the same invalid competition: the app offline and the portal answer the same error codes', async () => {
    const method = (await rpc.call('competition.methods', {})).methods.find((m) => m.code === 'direct_negotiations')!;
    expect(method.minDiscussionDays).toBe((await directNegotiations(portal.url)).minDiscussionDays);
    const { competitionId } = await rpc.call('competition.create', { organizationId: ORGANIZER_ORG, method, nameKk: 'Тексеру', nameRu: 'Проверка', nameEn: '' });
    await rpc.call('sync.now', {});

    proxy.cut();
    // Offline: a few fields, an interval one day short of the method's minimum, no regulation, no partner.
    await rpc.call('competition.setField', { competitionId, field: 'lot.nameKk', value: 'Лот' });
    await rpc.call('competition.setField', { competitionId, field: 'lot.summary', value: 'x'.repeat(1000) });
    await rpc.call('competition.setField', { competitionId, field: 'discussionStart', value: '2030-01-10T05:00:00.000Z' });
    await rpc.call('competition.setField', { competitionId, field: 'discussionEnd', value: '2030-01-24T05:00:00.000Z' });
    const app = await rpcError(rpc.call('competition.publish', { competitionId }));
    expect(app.code).toBe('validation_failed');
    const appFields = (app.details as { fields: Record<string, string> }).fields;
    expect(appFields).toMatchObject({ 'lot.nameRu': 'required', 'partner.bin': 'required', regulations: 'no_regulation', discussionEnd: 'interval_too_short' });
    // An initiator with a wrong IIN/BIN check digit and a bad e-mail, offline.
    const initiator = { userId: '0190a000-0000-7000-8000-0000000000c1', userName: 'X', partnerIinBin: '181040000335', representative: '', position: '', phone: '', email: 'bad@' };
    const appInit = await rpcError(rpc.call('competition.saveInitiator', { competitionId, initiator }));
    expect(appInit.code).toBe('validation_failed');

    // Back online: the queued edits reach the portal; the portal, asked directly, answers the same.
    proxy.restore();
    await until(() => rpc.call('sync.now', {}), (s) => s.pending === 0);
    const token = await signIn(portal.url, 'organizer');
    const rec = (await call(portal.url, 'GET', `/api/competitions/${competitionId}`, { token })).json;
    expect(rec.record.discussionEnd).toBe('2030-01-24T05:00:00.000Z');
    const viaApi = await pushOne(portal.url, token, mut('competition.publish', { competitionId, baseVersion: rec.version }));
    expect(viaApi.error?.code).toBe('validation_failed');
    expect(viaApi.error?.details.fields).toEqual(appFields);
    const initViaApi = await pushOne(portal.url, token, mut('competition.saveInitiator', { competitionId, baseVersion: rec.version, initiator: { ...initiator, id: '0190a000-0000-7000-8000-0000000000d1' } }));
    expect(initViaApi.error).toEqual({ code: appInit.code, message: expect.any(String), details: appInit.details });
    expect(appInit.details).toEqual({ fields: { partnerIinBin: 'invalid_iin_bin', email: 'invalid_email' } });
  });

  it('a regulation attached elsewhere downloads from the portal through the competition, checked against its SHA-256', async () => {
    const token = await signIn(portal.url, 'organizer');
    const bytes = Buffer.from(`%PDF-1.4\n% from another computer ${Date.now()}\n%%EOF\n`, 'latin1');
    const file = await upload(portal.url, token, bytes, 'Басқа.pdf');
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, token, mutations);
    const reg = await until(() => rpc.call('sync.now', {}).then(() => rpc.call('competition.get', { competitionId: id }).catch(() => null)), (r) => r !== null);
    const regulationId = (reg!.record.regulations as { id: string }[])[0]!.id;
    const got = await rpc.call('competition.readRegulation', { competitionId: id, regulationId });
    expect(got).toMatchObject({ name: 'Басқа.pdf', contentType: 'application/pdf' });
    expect(Buffer.from(got.base64, 'base64').equals(bytes)).toBe(true);
    proxy.cut();
    try {
      expect((await rpcError(rpc.call('competition.readRegulation', { competitionId: id, regulationId }))).code).toBe('offline');
    } finally {
      proxy.restore();
    }
  });

  it('two secretaries in two apps edit the same draft: the stale edit is rejected with conflict naming who, and stays listed with what was typed', async () => {
    const second = await addUser(portal.db, portal.url, { roles: ['secretary'], name: 'Екінші Хатшы' });
    const secondLogin = (await portal.db.selectFrom('users').select('email').where('id', '=', second.id).executeTakeFirstOrThrow()).email;
    const method = (await rpc.call('competition.methods', {})).methods[0]!;
    const { competitionId } = await rpc.call('competition.create', { organizationId: ORGANIZER_ORG, method, nameKk: 'Екі хатшы', nameRu: 'Два секретаря', nameEn: '' });
    await rpc.call('competition.setSecretaries', { competitionId, secretaryIds: [demoId('user', 'secretary'), second.id] });
    await until(() => rpc.call('sync.now', {}), (st) => st.pending === 0);

    const apps = [];
    for (const login of ['secretary@demo.seriktes.kz', secondLogin]) {
      const p = new TcpProxy(Number(new URL(portal.url).port));
      const h = await startBrowserHostProcess({ dataDir: tempDir('competition-sec'), portalUrl: await p.start(), pullIntervalMs: 0 });
      const r = await connectRpc(h);
      await r.call('auth.signIn', { login, password: DEMO_PASSWORD });
      await until(() => r.call('sync.now', {}).then(() => r.call('competition.get', { competitionId }).catch(() => null)), (x) => x !== null);
      apps.push({ p, h, r });
    }
    const [a, b] = apps as [(typeof apps)[0], (typeof apps)[0]];
    try {
      b.p.cut();
      await a.r.call('competition.setField', { competitionId, field: 'lot.summary', value: 'Бірінші хатшы жазды' });
      await until(() => a.r.call('sync.now', {}), (st) => st.pending === 0);
      await b.r.call('competition.setField', { competitionId, field: 'lot.summary', value: 'Екінші хатшы жазды' });
      b.p.restore();
      const st = await until(() => b.r.call('sync.now', {}), (x) => x.pending === 0);
      expect(st.rejected).toBe(1);
      const [item] = (await b.r.call('sync.rejected', {})).items;
      expect(item).toMatchObject({ name: 'competition.setField', args: { field: 'lot.summary', value: 'Екінші хатшы жазды' }, error: { code: 'conflict', details: { field: 'lot.summary', changedBy: 'Иванова Мария Петровна' } } });
      // The portal kept the first edit; B's view shows it after the rejection (its optimistic text is in the rejected list).
      const token = await signIn(portal.url, 'organizer');
      expect((await call(portal.url, 'GET', `/api/competitions/${competitionId}`, { token })).json.record.lot.summary).toBe('Бірінші хатшы жазды');
      const seen = await until(() => b.r.call('competition.get', { competitionId }), (x) => (x.record as { lot: { summary: string } }).lot.summary === 'Бірінші хатшы жазды');
      expect(seen.pending).toBe(false);
    } finally {
      for (const x of apps) {
        x.r.close();
        await x.h.stop('SIGKILL');
        await x.p.close();
      }
    }
  });

  it('a regulation file attached offline counts for the wizard; publication is pushed after its upload and the portal attaches it', async () => {
    const token = await signIn(portal.url, 'organizer');
    const dummy = await upload(portal.url, token);
    const { mutations, id } = await validCompetition(portal.url, dummy);
    await pushOk(portal.url, token, mutations.filter((m) => m.name !== 'competition.saveRegulation'));

    const p = new TcpProxy(Number(new URL(portal.url).port));
    const h = await startBrowserHostProcess({ dataDir: tempDir('competition-file'), portalUrl: await p.start(), pullIntervalMs: 0 });
    // The page's session (the upload endpoint needs its cookie), then the RPC on the same session.
    const ex = await fetch(`${h.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: h.origin }, body: JSON.stringify({ token: new URL(h.appUrl).searchParams.get('token') }) });
    const cookie = (ex.headers.get('set-cookie') ?? '').split(';')[0]!;
    const r = await connectRpc(h, cookie);
    try {
      await r.call('auth.signIn', { login: 'organizer@demo.seriktes.kz', password: DEMO_PASSWORD });
      await until(() => r.call('sync.now', {}).then(() => r.call('competition.get', { competitionId: id }).catch(() => null)), (x) => x !== null);

      p.cut();
      const bytes = Buffer.from(`%PDF-1.4\n% attached offline ${Date.now()}\n%%EOF\n`, 'latin1');
      const up = await fetch(`${h.origin}/upload?name=${encodeURIComponent('Офлайн.pdf')}`, { method: 'POST', headers: { Origin: h.origin, Cookie: cookie }, body: bytes });
      const handle = ((await up.json()) as { value: { handle: string } }).value.handle;
      const file = await r.call('files.stage', { handle });
      await r.call('competition.saveRegulation', { competitionId: id, regulation: { nameRu: 'Регламент', nameKk: 'Регламент', file } });
      // The wizard's rule is satisfied offline (the file is staged), so «Жариялау» is queued.
      await r.call('competition.publish', { competitionId: id });
      const offline = await r.call('competition.get', { competitionId: id });
      expect(offline.record).toMatchObject({ status: 'draft', publishRequested: true });
      expect((offline.record as { regulations: { attachmentId: string | null }[] }).regulations[0]!.attachmentId).toBeNull();

      p.restore();
      await until(() => r.call('sync.now', {}), (st) => st.pending === 0 && st.rejected === 0, 20_000);
      const rec = (await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record;
      expect(rec.status).toBe('published');
      expect(rec.regulations[0].file.name).toBe('Офлайн.pdf');
      const dl = await call(portal.url, 'GET', `/api/attachments/${rec.regulations[0].attachmentId}/content`, { token });
      expect(dl.bytes.equals(bytes)).toBe(true);
    } finally {
      r.close();
      await h.stop('SIGKILL');
      await p.close();
    }
  });

  it('the app refuses what the portal would: no creation for an organization where the user is not an Organizer', async () => {
    const method = (await rpc.call('competition.methods', {})).methods[0]!;
    const err = await rpcError(rpc.call('competition.create', { organizationId: '0190a000-0000-7000-8000-00000000ffff', method, nameKk: 'a', nameRu: 'b', nameEn: '' }));
    expect(err.code).toBe('forbidden');
  });

  it('offline: step 1 is kept locally, the BIN look-up answers from its cache, user search says it needs the portal', async () => {
    await rpc.call('competition.step1.save', { values: { organizationId: ORGANIZER_ORG, methodId: '', nameKk: 'Жартылай', nameRu: '', nameEn: '' } });
    const looked = await rpc.call('competition.lookupOrg', { bin: STATE_PARTNER_BIN });
    expect(looked).toMatchObject({ cached: false, heads: [{ fullName: 'Асқаров Ерлан Болатұлы' }] });
    expect((await rpcError(rpc.call('competition.lookupOrg', { bin: '120640000115' }))).code).toBe('invalid_bin');
    const unknownBin = ['10014000001', '10014000002', '10014000003', '10014000004'].map(withCheckDigit).find((b): b is string => !!b && isValidBin(b))!;
    expect((await rpcError(rpc.call('competition.lookupOrg', { bin: unknownBin }))).code).toBe('not_found');

    proxy.cut();
    try {
      expect((await rpc.call('competition.step1.get', {})).values).toMatchObject({ nameKk: 'Жартылай' });
      // A half-filled initiator form is kept locally until «Сақтау» / «Бас тарту» forget it.
      await rpc.call('competition.formDraft.save', { key: 'initiator:x', values: { userId: 'u', partnerIinBin: '1810' } });
      expect((await rpc.call('competition.formDraft.get', { key: 'initiator:x' })).values).toEqual({ userId: 'u', partnerIinBin: '1810' });
      await rpc.call('competition.formDraft.save', { key: 'initiator:x', values: null });
      expect((await rpc.call('competition.formDraft.get', { key: 'initiator:x' })).values).toBeNull();
      expect(await rpc.call('competition.lookupOrg', { bin: STATE_PARTNER_BIN })).toMatchObject({ cached: true, organization: { bin: STATE_PARTNER_BIN } });
      expect((await rpcError(rpc.call('competition.lookupOrg', { bin: '181040000334' }))).code).toBe('offline');
      expect((await rpcError(rpc.call('competition.searchUsers', { q: 'Жұмабаев' }))).code).toBe('offline');
      // The method list answers from its cache.
      expect((await rpc.call('competition.methods', {})).cached).toBe(true);
    } finally {
      proxy.restore();
    }
  });
});
