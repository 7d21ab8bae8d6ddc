/**
 * The competition wizard's RPC handlers. Edits go through the local outbox
 * (`account.local.mutate`, the shared rule first) and return at once, online
 * or not; look-ups that need the portal (methods, BIN, user search, history)
 * call it directly, and the method list and BIN look-ups fall back to the
 * last answer cached in the account's database.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import { isValidBin } from '../../src-shared/domain/identity';
import { EMPLOYEE_ENTITY, type EmployeeRecord } from '../../src-shared/accounts/employee-mutations';
import { COMPETITION_ENTITY, MethodRefSchema, type CompetitionRecord, type MethodRef } from '../../src-shared/competition/model';
import { canEditCompetition, isEditor, takesPart } from '../../src-shared/competition/rules';
import { Step1Schema, type CompetitionRow, type OrgLookup, type Step1Values } from '../../src-shared/competition/rpc';
import { PublicOrganizationSchema, PppMethodListSchema, UserSearchResultSchema } from '../../src-shared/portal-api/schemas';
import { scopes } from '../../src-shared/sync/protocol';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { foldForSearch } from '../sync/indexers';
import { PortalClient, isTransient } from '../sync/portal-client';
import type { AccountManager, OpenAccount } from '../accounts/accounts';
import { PortalClock } from '../../src-shared/time/portal-clock';
import { publicCompetitionHandlers } from './public-handlers';
import { competitionRow } from './rows';

type CompetitionHandlers<Ctx> = Pick<Handlers<Ctx>, Extract<keyof Handlers<Ctx>, `competition.${string}`>>;

const STEP1_KEY = 'competition.step1';
const METHODS_KEY = 'competition.methods';
const lookupKey = (bin: string) => `competition.lookup.${bin}`;
const MAX_DOWNLOAD_BYTES = 25 * 1024 * 1024;

/** Local-only values (step 1 before «Келесі», cached look-ups) live in the account's key/value table. */
function readLocal<T>(acc: OpenAccount, key: string): T | null {
  const row = acc.db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}
function writeLocal(acc: OpenAccount, key: string, value: unknown): void {
  acc.db.tx(() => {
    if (value === null) acc.db.sqlite.prepare('DELETE FROM sync_state WHERE key = ?').run(key);
    else acc.db.sqlite.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  });
}

interface ViewRow {
  version: number;
  pending: number;
  data_json: string;
}

function viewRow(acc: OpenAccount, competitionId: string): { record: CompetitionRecord; version: number; pending: boolean } | null {
  const r = acc.db.sqlite.prepare('SELECT version, pending, data_json FROM records_view WHERE entity_type = ? AND entity_id = ?').get(COMPETITION_ENTITY, competitionId) as ViewRow | undefined;
  return r ? { record: JSON.parse(r.data_json) as CompetitionRecord, version: r.version, pending: r.pending === 1 } : null;
}

export function competitionHandlers<Ctx>(accounts: AccountManager, portalUrl: string, clock = new PortalClock()): CompetitionHandlers<Ctx> {
  const client = new PortalClient({ baseUrl: portalUrl, token: () => accounts.current?.session?.token ?? null, timeoutMs: 8000 });
  const poke = () => accounts.current?.engine.poke();

  /** The version the user's edit builds on: what the portal last confirmed (0 for a competition it has not confirmed yet). */
  const baseVersion = (acc: OpenAccount, competitionId: string): number => {
    const row = viewRow(acc, competitionId);
    if (!row) throw new AppError('not_found', 'No such competition');
    return row.version;
  };

  const mutate = (name: string, args: Record<string, unknown> & { competitionId: string }) => {
    const acc = accounts.require();
    const { mutationId } = acc.local.mutate(name, { ...args, baseVersion: baseVersion(acc, args.competitionId) }, accounts.actor());
    poke();
    return { mutationId };
  };

  const offline = (err: unknown) => (isTransient(err) ? new AppError('offline', 'The portal cannot be reached') : err);

  return {
    ...publicCompetitionHandlers<Ctx>(portalUrl, clock),
    'competition.methods': async () => {
      const acc = accounts.require();
      try {
        const list = PppMethodListSchema.parse(await client.request('GET', '/api/reference/methods', undefined, { auth: false }));
        const methods: MethodRef[] = list.methods.map((m) => MethodRefSchema.parse({ id: m.id, code: m.code, name: m.name, minDiscussionDays: m.minDiscussionDays }));
        writeLocal(acc, METHODS_KEY, methods);
        return { methods, cached: false };
      } catch (err) {
        const cached = readLocal<MethodRef[]>(acc, METHODS_KEY);
        if (cached && isTransient(err)) return { methods: cached, cached: true };
        throw offline(err);
      }
    },

    'competition.list': ({ query, status, scope = 'mine' }) => {
      const acc = accounts.require();
      const actor = accounts.actor();
      const conds = ['entity_type = ?'];
      const params: unknown[] = [COMPETITION_ENTITY];
      if (scope === 'mine') {
        // «Менің конкурстарым (ұйымдастырушы)»: those of the organizations where I organize or am a secretary.
        const orgs = actor.memberships.filter((m) => m.roles.includes('organizer') || m.roles.includes('secretary')).map((m) => m.organizationId);
        if (orgs.length === 0) return { items: [] };
        conds.push(`(${orgs.map(() => 'tags LIKE ?').join(' OR ')})`);
        params.push(...orgs.map((o) => `%|org:${o}|%`));
      } else {
        // Drafts only ever reach the organization's own caches; the other two scopes never show one.
        conds.push("tags NOT LIKE '%|draft|%'");
      }
      if (status) {
        conds.push('tags LIKE ?');
        params.push(`%|${status}|%`);
      }
      if (query?.trim()) {
        conds.push("search_text LIKE ? ESCAPE '\\'");
        params.push(`%${foldForSearch(query.trim()).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      }
      // "Where I take part" is decided per record (the parties live inside it), so it reads before it limits.
      const limit = scope === 'participating' ? '' : ' LIMIT 500';
      const rows = acc.db.sqlite
        .prepare(`SELECT version, pending, data_json FROM records_view WHERE ${conds.join(' AND ')} ORDER BY sort_key DESC, entity_id${limit}`)
        .all(...params) as ViewRow[];
      const items: CompetitionRow[] = [];
      for (const r of rows) {
        const c = JSON.parse(r.data_json) as CompetitionRecord;
        if (scope === 'participating' && !takesPart(actor, c)) continue;
        items.push(competitionRow(c, r.pending === 1, actor));
        if (items.length >= 500) break;
      }
      return { items };
    },

    'competition.get': ({ competitionId }) => {
      const acc = accounts.require();
      const row = viewRow(acc, competitionId);
      if (!row) throw new AppError('not_found', 'No such competition');
      const actor = accounts.actor();
      return {
        record: row.record as unknown as Record<string, unknown>,
        version: row.version,
        pending: row.pending,
        canEdit: canEditCompetition(actor, row.record),
        isCreator: isEditor(actor, row.record) && row.record.createdBy === actor.userId,
      };
    },

    'competition.step1.get': () => {
      const v = readLocal<Step1Values>(accounts.require(), STEP1_KEY);
      const parsed = v ? Step1Schema.safeParse(v) : null;
      return { values: parsed?.success ? parsed.data : null };
    },
    'competition.step1.save': ({ values }) => {
      writeLocal(accounts.require(), STEP1_KEY, values);
      return { saved: true };
    },

    'competition.formDraft.get': ({ key }) => ({ values: readLocal<Record<string, string>>(accounts.require(), `competition.form.${key}`) }),
    'competition.formDraft.save': ({ key, values }) => {
      writeLocal(accounts.require(), `competition.form.${key}`, values);
      return { saved: true };
    },

    'competition.create': (input) => {
      const acc = accounts.require();
      const competitionId = uuidv7();
      const { mutationId } = acc.local.mutate('competition.create', { ...input, competitionId }, accounts.actor());
      // From here on the draft itself holds the values: the local-only step 1 copy is done.
      writeLocal(acc, STEP1_KEY, null);
      poke();
      return { competitionId, mutationId };
    },
    'competition.setMethod': (a) => mutate('competition.setMethod', a),
    'competition.setField': (a) => mutate('competition.setField', a),
    'competition.setPartnerOrg': (a) => mutate('competition.setPartnerOrg', a),
    'competition.saveLot': (a) => mutate('competition.saveLot', a),
    'competition.deleteLot': (a) => mutate('competition.deleteLot', a),
    'competition.saveInitiator': ({ competitionId, initiator }) => {
      const initiatorId = initiator.id ?? uuidv7();
      return { ...mutate('competition.saveInitiator', { competitionId, initiator: { ...initiator, id: initiatorId } }), initiatorId };
    },
    'competition.removeInitiator': (a) => mutate('competition.removeInitiator', a),
    'competition.saveRegulation': ({ competitionId, regulation }) => {
      const regulationId = regulation.id ?? uuidv7();
      return { ...mutate('competition.saveRegulation', { competitionId, regulation: { ...regulation, id: regulationId } }), regulationId };
    },
    'competition.removeRegulation': (a) => mutate('competition.removeRegulation', a),
    'competition.setSecretaries': (a) => mutate('competition.setSecretaries', a),
    'competition.publish': (a) => mutate('competition.publish', a),
    'competition.delete': (a) => mutate('competition.delete', a),

    'competition.lookupOrg': async ({ bin }) => {
      const acc = accounts.require();
      const b = bin.trim();
      if (!isValidBin(b)) throw new AppError('invalid_bin', 'Invalid BIN', { field: 'partner.bin' });
      try {
        const org = PublicOrganizationSchema.parse(await client.request('GET', `/api/orgs/by-bin/${b}`, undefined, { auth: false }));
        const answer: OrgLookup = { organization: { id: org.id, bin: org.bin, name: org.name, names: org.names }, heads: org.heads, cached: false };
        writeLocal(acc, lookupKey(b), answer);
        return answer;
      } catch (err) {
        if (isTransient(err)) {
          const cached = readLocal<OrgLookup>(acc, lookupKey(b));
          if (cached) return { ...cached, cached: true };
        }
        throw offline(err);
      }
    },

    'competition.searchUsers': async ({ q }) => {
      try {
        return UserSearchResultSchema.parse(await client.request('GET', `/api/users/search?q=${encodeURIComponent(q)}`));
      } catch (err) {
        throw offline(err);
      }
    },

    'competition.secretaryCandidates': ({ organizationId }) => {
      const acc = accounts.require();
      const me = accounts.actor().userId;
      const rows = acc.db.sqlite
        .prepare('SELECT data_json FROM records_view WHERE entity_type = ? AND scope = ? ORDER BY sort_key')
        .all(EMPLOYEE_ENTITY, scopes.organization(organizationId)) as { data_json: string }[];
      const users = rows
        .map((r) => JSON.parse(r.data_json) as EmployeeRecord)
        .filter((e) => e.userId && e.userId !== me && e.roles.includes('secretary'))
        .map((e) => ({ userId: e.userId!, fullName: e.fullName }));
      return { users };
    },

    'competition.readRegulation': async ({ competitionId, regulationId }) => {
      const acc = accounts.require();
      const reg = viewRow(acc, competitionId)?.record.regulations.find((r) => r.id === regulationId);
      if (!reg?.file) throw new AppError('not_found', 'No file attached');
      if (reg.file.size > MAX_DOWNLOAD_BYTES) throw new AppError('file_too_large', 'Too large to open here', { limit: MAX_DOWNLOAD_BYTES });
      let bytes: Buffer;
      const local = acc.files.existingPath(reg.file.sha256);
      if (local) bytes = await readFile(local);
      else {
        if (!reg.attachmentId) throw new AppError('not_found', 'The file is not on the portal yet');
        const token = acc.session?.token;
        if (!token) throw new AppError('session_expired', 'Sign in again');
        let res: Response;
        try {
          res = await fetch(`${portalUrl.replace(/\/+$/, '')}/api/attachments/${reg.attachmentId}/content`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
        } catch {
          throw new AppError('offline', 'The portal cannot be reached');
        }
        if (!res.ok) throw new AppError(res.status === 404 ? 'not_found' : 'portal_unreachable', `Portal answered ${res.status}`);
        bytes = Buffer.from(await res.arrayBuffer());
      }
      // What the user opens is exactly what was attached.
      if (createHash('sha256').update(bytes).digest('hex') !== reg.file.sha256) throw new AppError('file_hash_mismatch', 'The file does not match its hash');
      return { name: reg.file.name, contentType: reg.file.contentType, base64: bytes.toString('base64') };
    },

    'competition.history': async ({ competitionId }) => {
      try {
        const r = await client.request<{ entries: { at: string; action: string; fromStatus: string | null; toStatus: string | null; actorName: string | null }[] }>(
          'GET',
          `/api/competitions/${competitionId}/history`,
        );
        return { entries: r.entries.map((e) => ({ at: e.at, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorName: e.actorName })) };
      } catch (err) {
        throw offline(err);
      }
    },
  };
}
