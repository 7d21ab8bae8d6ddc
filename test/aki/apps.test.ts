/**
 * AKI offline-first through real processes: the portal (child process) and
 * app back ends (browser-host child processes) behind loopback proxies that
 * play the network. A supplier prepares and publishes with no network, the
 * app restarts offline without losing anything, and the portal decides on
 * return; two employees creating offline in one category; a publication made
 * offline against an outdated template gets a stated outcome.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHostProcess, startPortalProcess, tempDir, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { DEMO_TEMPLATE } from '../../src-portal/seed/demo-data';

const PASSWORD = 'Seriktes-demo-2026';
type Client = Awaited<ReturnType<typeof connectRpc>>;
interface App { host: RunningHost; rpc: Client; proxy: TcpProxy; dataDir: string; cookie: string }

let portal: RunningPortal;
const apps: App[] = [];

async function startApp(o: { dataDir?: string; proxy?: TcpProxy } = {}): Promise<App> {
  const proxy = o.proxy ?? new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = proxy.port ? `http://127.0.0.1:${proxy.port}` : await proxy.start();
  const dataDir = o.dataDir ?? tempDir('aki-app');
  const host = await startBrowserHostProcess({ dataDir, portalUrl, pullIntervalMs: 0 });
  const token = new URL(host.appUrl).searchParams.get('token');
  const session = await fetch(`${host.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: host.origin }, body: JSON.stringify({ token }) });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const rpc = await connectRpc(host, cookie);
  const app = { host, rpc, proxy, dataDir, cookie };
  apps.push(app);
  return app;
}
async function signedIn(login: string): Promise<App> {
  const app = await startApp();
  await app.rpc.call('auth.signIn', { login, password: PASSWORD });
  await app.rpc.call('sync.now', {});
  return app;
}
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function stageFile(app: App, name: string, bytes: Buffer) {
  const res = await fetch(`${app.host.origin}/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { Origin: app.host.origin, Cookie: app.cookie }, body: new Uint8Array(bytes) });
  const handle = ((await res.json()) as { value: { handle: string } }).value.handle;
  return app.rpc.call('files.stage', { handle });
}
const orgId = async (app: App) => (await app.rpc.call('auth.status', {})).user!.memberships[0]!.organizationId;
const catByCode = async (app: App, code: string) => {
  const ref = await app.rpc.call('aki.reference', {});
  return ref.groups.flatMap((g) => g.categories).find((c) => c.code === code)!;
};

beforeAll(async () => {
  portal = await startPortalProcess();
}, 180_000);
afterAll(async () => {
  for (const a of apps) {
    a.rpc.close();
    await a.host.stop('SIGKILL');
    await a.proxy.close();
  }
  await portal?.stop();
});

describe('AKI offline-first', () => {
  it('offline until Publish: nothing lost across an offline restart; the portal decides on return; revision and approval', async () => {
    let sup = await signedIn('supplier@demo.seriktes.kz');
    const org = await orgId(sup);
    const cat = await catByCode(sup, 'rolled_steel');
    expect(cat.templateVersion).toBe(1);
    sup.proxy.cut();
    const { applicationId } = await sup.rpc.call('aki.create', { organizationId: org, categoryId: cat.categoryId });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('offline application '.repeat(50))]);
    const ref = await stageFile(sup, 'Куәлік.pdf', pdf);
    expect(ref.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const content = { email: 'petrov@dala.kz', phone: '+7 701 555 44 33', comment: 'Офлайн', answers: { registration_certificate: ref, vat_payer: 'yes', employees: 25, experience: 'Бес жыл', license_valid_until: '2030-06-30' } };
    // The shared rule refuses an incomplete publication at once, offline, naming each field.
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 1, ...content, phone: '' });
    const refused = await sup.rpc.call('aki.publish', { applicationId }).catch((e: { code: string; details?: { issues: { field: string }[] } }) => e);
    expect(refused).toMatchObject({ code: 'validation_failed', details: { issues: [{ field: 'phone', code: 'required' }] } });
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 1, ...content });
    await sup.rpc.call('aki.publish', { applicationId });
    let d = await sup.rpc.call('aki.get', { applicationId, as: 'supplier' });
    expect(d).toMatchObject({ pending: true, waiting: 'publish', record: { status: 'published', number: null } });

    // The app back end dies and comes back, still offline: everything is there.
    sup.rpc.close();
    await sup.host.stop('SIGKILL');
    sup = await startApp({ dataDir: sup.dataDir, proxy: sup.proxy });
    d = await sup.rpc.call('aki.get', { applicationId, as: 'supplier' });
    expect(d.record.answers).toMatchObject({ employees: 25, registration_certificate: { sha256: ref.sha256 } });
    expect(d.waiting).toBe('publish');

    sup.proxy.restore();
    await sup.rpc.call('sync.now', {});
    d = await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => !x.pending && x.record.status === 'under_review');
    expect(d.record.number).toMatch(/^AKI-\d{6}$/);
    const list = await sup.rpc.call('aki.list', { as: 'supplier' });
    expect(list.items.find((r) => r.applicationId === applicationId)).toMatchObject({ status: 'under_review', pending: false });

    // The customer sees it in the queue and returns it for the number of employees.
    const cust = await signedIn('customer@demo.seriktes.kz');
    const queue = await cust.rpc.call('aki.list', { as: 'customer' });
    expect(queue.items.map((r) => r.applicationId)).toContain(applicationId);
    await cust.rpc.call('aki.decide', { applicationId, decision: 'revision', reason: 'Санын растаңыз', requirementKeys: ['employees'] });
    await cust.rpc.call('sync.now', {});
    await until(() => cust.rpc.call('aki.get', { applicationId, as: 'customer' }), (x) => !x.pending && x.record.status === 'revision');

    await sup.rpc.call('sync.now', {});
    d = await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => x.record.status === 'revision');
    expect(d.record.revision).toMatchObject({ reason: 'Санын растаңыз', keys: ['employees'] });
    // The app refuses a change to an unflagged answer before anything is queued.
    const locked = await sup.rpc.call('aki.save', { applicationId, templateVersion: 1, ...content, answers: { ...d.record.answers, vat_payer: 'no' } }).catch((e: { code: string }) => e);
    expect(locked).toMatchObject({ code: 'aki_locked_field' });
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 1, ...content, answers: { ...d.record.answers, employees: 30 } });
    await sup.rpc.call('aki.publish', { applicationId });
    await sup.rpc.call('sync.now', {});
    await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => !x.pending && x.record.status === 'under_review');

    await cust.rpc.call('sync.now', {});
    await until(() => cust.rpc.call('aki.get', { applicationId, as: 'customer' }), (x) => x.record.status === 'under_review' && x.record.answers.employees === 30);
    await cust.rpc.call('aki.decide', { applicationId, decision: 'approve', reason: '', requirementKeys: [] });
    await cust.rpc.call('sync.now', {});
    await sup.rpc.call('sync.now', {});
    await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => x.record.status === 'approved');
  }, 180_000);

  it('two employees create offline in the same category: the portal keeps one, the other is listed as refused', async () => {
    const a = await signedIn('dala.head@demo.seriktes.kz');
    const b = await signedIn('supplier@demo.seriktes.kz');
    const org = await orgId(a);
    const cat = await catByCode(a, 'transport');
    a.proxy.cut();
    b.proxy.cut();
    const ca = await a.rpc.call('aki.create', { organizationId: org, categoryId: cat.categoryId });
    const cb = await b.rpc.call('aki.create', { organizationId: org, categoryId: cat.categoryId });
    // Offline, each app enforces the rule against what it knows: a second one on the same app is refused at once.
    await expect(a.rpc.call('aki.create', { organizationId: org, categoryId: cat.categoryId })).rejects.toMatchObject({ code: 'aki_open_exists' });
    a.proxy.restore();
    await a.rpc.call('sync.now', {});
    b.proxy.restore();
    await b.rpc.call('sync.now', {});
    const rejected = await until(() => b.rpc.call('sync.rejected', {}), (r) => r.items.length > 0);
    expect(rejected.items[0]).toMatchObject({ name: 'aki.create', error: { code: 'aki_open_exists' } });
    await expect(b.rpc.call('aki.get', { applicationId: cb.applicationId, as: 'supplier' })).rejects.toMatchObject({ code: 'not_found' });
    await b.rpc.call('sync.now', {});
    const listB = await until(() => b.rpc.call('aki.list', { as: 'supplier' }), (l) => l.items.some((r) => r.applicationId === ca.applicationId));
    expect(listB.items.filter((r) => r.categoryId === cat.categoryId && r.status === 'draft')).toHaveLength(1);
  }, 180_000);

  it('a Publish made offline against an outdated template: refused with template_changed; the draft moves to the new version with answers carried over', async () => {
    const sup = await signedIn('metal.head@demo.seriktes.kz');
    const org = await orgId(sup);
    const cat = await catByCode(sup, 'equipment_repair');
    const { applicationId } = await sup.rpc.call('aki.create', { organizationId: org, categoryId: cat.categoryId });
    await sup.rpc.call('sync.now', {});
    await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => !x.pending);
    sup.proxy.cut();
    const ref = await stageFile(sup, 'c.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('metal')]));
    const content = { email: 'head@metal.kz', phone: '+7 702 000 11 22', comment: '', answers: { registration_certificate: ref, vat_payer: 'no', employees: 7, license_valid_until: '2031-01-01' } };
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 1, ...content });
    await sup.rpc.call('aki.publish', { applicationId });

    // Meanwhile the customer publishes version 2 (a new required date, «experience» dropped).
    const cust = await signedIn('customer@demo.seriktes.kz');
    const t2 = { requirements: [...DEMO_TEMPLATE.requirements.filter((r) => r.key !== 'experience'), { type: 'date' as const, key: 'egov_extract', label: { kk: 'eGov үзінді күні', ru: 'Дата выписки eGov', en: 'eGov extract date' }, required: true, notOlderThanDays: 30 }] };
    await cust.rpc.call('aki.template.save', { categoryId: cat.categoryId, template: t2 });
    await cust.rpc.call('sync.now', {});
    await until(() => cust.rpc.call('aki.template.get', { categoryId: cat.categoryId }), (x) => x.templateVersion === 2);

    sup.proxy.restore();
    await sup.rpc.call('sync.now', {});
    const d = await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => x.refused !== null && x.newerTemplate !== null);
    expect(d.refused).toMatchObject({ name: 'aki.publish', code: 'template_changed' });
    expect(d.record.status).toBe('draft');
    expect(d.newerTemplate!.version).toBe(2);
    expect(d.newerTemplate!.answers).toEqual({ registration_certificate: expect.objectContaining({ sha256: ref.sha256 }), vat_payer: 'no', employees: 7, license_valid_until: '2031-01-01' });
    // An extract older than 30 days by the clock is refused at its field; a recent one publishes.
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 2, ...content, answers: { ...d.newerTemplate!.answers, egov_extract: old } });
    await expect(sup.rpc.call('aki.publish', { applicationId })).rejects.toMatchObject({ code: 'validation_failed', details: { issues: [{ field: 'egov_extract', code: 'date_too_old' }] } });
    const recent = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await sup.rpc.call('aki.save', { applicationId, templateVersion: 2, ...content, answers: { ...d.newerTemplate!.answers, egov_extract: recent } });
    await sup.rpc.call('aki.publish', { applicationId });
    await sup.rpc.call('sync.now', {});
    const done = await until(() => sup.rpc.call('aki.get', { applicationId, as: 'supplier' }), (x) => !x.pending && x.record.status === 'under_review');
    expect(done.record.templateVersion).toBe(2);
    // The refusal no longer shows once the user acted again and the portal accepted.
    expect(done.refused).toBeNull();
  }, 180_000);
});
