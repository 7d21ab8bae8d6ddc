/** Who reads AKI applications in the feed: a category's customer (role Customer in the owning organization) reads `aki-category:<id>`. */
import { akiCategoryScope } from '../../src-shared/aki/records';
import type { Queryable } from '../db/schema';
import { parseRoles } from '../http/auth';

export async function akiReadableScopes(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').select(['organization_id', 'roles_json']).where('user_id', '=', userId).execute();
  const customerOrgs = rows.filter((r) => parseRoles(r.roles_json).includes('customer')).map((r) => r.organization_id);
  if (customerOrgs.length === 0) return [];
  const cats = await db.selectFrom('aki_categories').select('id').where('customer_org_id', 'in', customerOrgs).execute();
  return cats.map((c) => akiCategoryScope(c.id)).sort();
}

/** Categories whose applications the user may read and decide. */
export async function customerCategoryIds(db: Queryable, userId: string): Promise<string[]> {
  return (await akiReadableScopes(db, userId)).map((s) => s.slice('aki-category:'.length));
}
