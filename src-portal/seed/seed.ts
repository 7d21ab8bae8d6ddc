/**
 * Loads the demo world. Idempotent: ids are derived from natural keys
 * (uuid v5), rows are inserted only when missing and never overwritten, so
 * running it again (or on every demo start) changes nothing. What it creates
 * is recorded in the audit log like any other change.
 */
import { v5 as uuidv5 } from 'uuid';
import { withCheckDigit, isValidIin, isValidBin } from '../../src-shared/domain/identity';
import type { PortalContext } from '../context';
import type { Trx } from '../db/schema';
import { recordChange } from '../audit/audit';
import { hashPassword } from '../accounts/passwords';
import { DEMO_AKI, DEMO_METHODS, DEMO_ORGS, DEMO_PASSWORD, DEMO_TEMPLATE, DEMO_USERS } from './demo-data';

const NS = '8f0b8d4e-4c36-4d8e-9a53-2f2f6b1f9c11';
export const demoId = (kind: string, key: string): string => uuidv5(`${kind}:${key}`, NS);

/** Completes a prefix with a check digit, bumping the serial if a prefix has none. */
function completeId(prefix: string, valid: (v: string) => boolean): string {
  for (let i = 0; i < 20; i++) {
    const p = (BigInt(prefix) + BigInt(i)).toString().padStart(11, '0');
    const v = withCheckDigit(p);
    if (v && valid(v)) return v;
  }
  throw new Error(`no valid identifier near ${prefix}`);
}
export const demoBin = (key: string): string => completeId(DEMO_ORGS.find((o) => o.key === key)!.binPrefix, isValidBin);
export const demoIin = (key: string): string => completeId(DEMO_USERS.find((u) => u.key === key)!.iinPrefix, isValidIin);

export async function seedDemoData(ctx: PortalContext): Promise<{ created: number }> {
  const { db } = ctx;
  // Hash passwords outside the transaction (slow, async) and only for accounts that are missing.
  const existing = new Set((await db.selectFrom('users').select('id').execute()).map((u) => u.id));
  // The demo password is public (DEMO_ACCOUNTS.md), so one hash serves every missing demo account: a salt per
  // account would protect nothing and cost a scrypt per account at every fresh portal (tests start dozens).
  const hashes = new Map<string, string>();
  const missing = DEMO_USERS.filter((u) => !existing.has(demoId('user', u.key)));
  const demoHash = missing.length ? await hashPassword(DEMO_PASSWORD) : '';
  for (const u of missing) hashes.set(u.key, demoHash);

  let created = 0;
  await db.transaction().execute(async (trx: Trx) => {
    const now = ctx.nowIso();
    const audit = (entityType: string, entityId: string, recordType: string, recordId: string, data: Record<string, unknown>) =>
      recordChange(trx, now, { actorUserId: null, entityType, entityId, recordType, recordId, action: `seed.${entityType}`, data });
    const inserted = (r: { numInsertedOrUpdatedRows?: bigint }[]) => r.some((x) => Number(x.numInsertedOrUpdatedRows ?? 0) > 0);

    for (const o of DEMO_ORGS) {
      const id = demoId('org', o.key);
      const bin = demoBin(o.key);
      const r = await trx.insertInto('organizations').values({ id, bin, name_kk: o.name.kk, name_ru: o.name.ru, name_en: o.name.en, kind: o.kind, version: 1, created_at: now, updated_at: now })
        .onConflict((oc) => oc.doNothing()).execute();
      if (inserted(r)) { created++; await audit('organization', id, 'organization', id, { bin, name: o.name.kk, kind: o.kind }); }
    }
    for (const u of DEMO_USERS) {
      const id = demoId('user', u.key);
      const hash = hashes.get(u.key);
      if (hash) {
        const r = await trx.insertInto('users').values({
          id, iin: demoIin(u.key), email: u.email, phone: null, full_name: u.fullName, search_name: u.fullName.toLowerCase(), password_hash: hash,
          preferred_language: u.language, must_change_password: 0, version: 1, created_at: now, updated_at: now,
        }).onConflict((oc) => oc.doNothing()).execute();
        if (inserted(r)) { created++; await audit('user', id, 'user', id, { fullName: u.fullName }); }
      }
      for (const m of u.memberships) {
        const orgId = demoId('org', m.org);
        const mid = demoId('membership', `${m.org}/${u.key}`);
        const r = await trx.insertInto('memberships').values({ id: mid, organization_id: orgId, user_id: id, roles_json: JSON.stringify(m.roles), version: 1, created_at: now, updated_at: now })
          .onConflict((oc) => oc.doNothing()).execute();
        if (inserted(r)) { created++; await audit('membership', mid, 'organization', orgId, { userId: id, roles: m.roles }); }
      }
    }
    for (const m of DEMO_METHODS) {
      const id = demoId('method', m.code);
      const r = await trx.insertInto('ppp_methods').values({ id, code: m.code, name_kk: m.name.kk, name_ru: m.name.ru, name_en: m.name.en, min_discussion_days: m.minDiscussionDays, version: 1, created_at: now, updated_at: now })
        .onConflict((oc) => oc.doNothing()).execute();
      if (inserted(r)) { created++; await audit('ppp_method', id, 'reference', 'ppp_methods', { code: m.code, minDiscussionDays: m.minDiscussionDays }); }
    }
    for (const g of DEMO_AKI) {
      const gid = demoId('aki_group', g.code);
      const r = await trx.insertInto('aki_groups').values({ id: gid, code: g.code, name_kk: g.name.kk, name_ru: g.name.ru, name_en: g.name.en, version: 1, created_at: now, updated_at: now })
        .onConflict((oc) => oc.doNothing()).execute();
      if (inserted(r)) { created++; await audit('aki_group', gid, 'reference', 'aki', { code: g.code }); }
      for (const c of g.categories) {
        const cid = demoId('aki_category', c.code);
        const rc = await trx.insertInto('aki_categories').values({ id: cid, group_id: gid, code: c.code, name_kk: c.name.kk, name_ru: c.name.ru, name_en: c.name.en, requirements_version: 1, version: 1, created_at: now, updated_at: now })
          .onConflict((oc) => oc.doNothing()).execute();
        if (inserted(rc)) { created++; await audit('aki_category', cid, 'reference', 'aki', { code: c.code, group: g.code }); }
        const tid = demoId('aki_template', `${c.code}/1`);
        const rt = await trx.insertInto('aki_requirement_templates').values({ id: tid, category_id: cid, template_version: 1, template_json: JSON.stringify(c.template ?? DEMO_TEMPLATE), created_by: null, created_at: now })
          .onConflict((oc) => oc.doNothing()).execute();
        if (inserted(rt)) { created++; await audit('aki_template', tid, 'reference', 'aki', { category: c.code, templateVersion: 1 }); }
      }
    }
  });
  return { created };
}
