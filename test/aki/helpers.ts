import { createHash } from 'node:crypto';
import { call, demoId, mut, push, pullAll, signIn, type Mut } from '../portal-sync/helpers';

export * from '../portal-sync/helpers';

export const SUP_ORG = demoId('org', 'supplier1');
export const SUP2_ORG = demoId('org', 'supplier2');
export const CUS_ORG = demoId('org', 'customer');
export const CAT = demoId('aki_category', 'rolled_steel');
export const CAT2 = demoId('aki_category', 'pipes');

/** A small real PDF (the portal detects the type from the bytes). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export async function upload(base: string, token: string, bytes: Buffer, name: string) {
  const c = await call(base, 'POST', '/api/uploads', { token, body: { size: bytes.length, sha256: sha256(bytes), name } });
  if (c.status !== 200) throw new Error(`upload ${c.status} ${JSON.stringify(c.json)}`);
  await call(base, 'PUT', `/api/uploads/${c.json.uploadId}`, { token, raw: bytes, query: { offset: 0 } });
  const f = await call(base, 'POST', `/api/uploads/${c.json.uploadId}/finalize`, { token });
  if (f.status !== 200) throw new Error(`finalize ${f.status} ${JSON.stringify(f.json)}`);
  return { sha256: sha256(bytes), name, size: bytes.length, contentType: 'application/pdf' };
}

/** Pushes one mutation and returns its result row. */
export async function one(base: string, token: string, name: string, args: unknown) {
  const r = await push(base, token, [mut(name, args)]);
  if (r.status !== 200) throw new Error(`push ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.results[0] as { status: 'applied' | 'rejected'; result?: any; error?: { code: string; message: string; details?: any } }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export const many = async (base: string, token: string, ms: Mut[]) => (await push(base, token, ms)).json.results as { status: string; error?: { code: string; details?: unknown } }[];

export const uuid = (): string => crypto.randomUUID();
export const today = () => new Date().toISOString().slice(0, 10);

/** A complete answer set for the demo template. */
export function fullAnswers(file: unknown) {
  return { registration_certificate: file, vat_payer: 'yes', employees: 12, experience: 'Бес жыл', license_valid_until: '2030-01-01' };
}

export async function createDraft(base: string, token: string, o: { org?: string; cat?: string } = {}) {
  const applicationId = uuid();
  const r = await one(base, token, 'aki.create', { applicationId, organizationId: o.org ?? SUP_ORG, categoryId: o.cat ?? CAT, templateVersion: 1, createdAt: new Date().toISOString() });
  return { applicationId, r };
}

export async function version(base: string, token: string, id: string): Promise<number> {
  const r = await call(base, 'GET', `/api/aki/applications/${id}`, { token });
  return r.json.version as number;
}

export { call, mut, push, pullAll, signIn };
