/**
 * The portal signs its audit head with Ed25519 (issue 15 §5): an app pins the
 * portal's public key at its first sync and refuses a head signed by any other
 * key, so a portal swapped for another one (or a forged answer) is noticed.
 *
 * The key: `auditSigningKeyFile` in settings.json, or SERIKTES_PORTAL_AUDIT_KEY_FILE,
 * or `<dataDir>/audit-signing-key.pem`, generated at first start (mode 0600).
 * It travels with a backup of the data folder, so a restored portal keeps it.
 *
 * Every head handed out is stored in `audit_head_signatures`, so `verify-audit`
 * can check each signature against the chain and the key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditHeadMessage } from '../../src-shared/sync/audit-head';
import type { Queryable } from '../db/schema';
import { auditHead } from './audit';

export const DEFAULT_KEY_FILE = 'audit-signing-key.pem';

export interface SignedHead {
  seq: number;
  hash: string;
  /** Ed25519 signature of auditHeadMessage(seq, hash), base64. */
  signature: string;
  /** The portal's public key, SPKI DER in base64. */
  publicKey: string;
}

export function auditKeyFile(dataDir: string, configured?: string): string {
  return configured ?? process.env.SERIKTES_PORTAL_AUDIT_KEY_FILE ?? path.join(dataDir, DEFAULT_KEY_FILE);
}

/** Reads the private key; generates and stores one (owner-only) when the file does not exist. */
export function loadOrCreateAuditKey(file: string): crypto.KeyObject {
  if (!fs.existsSync(file)) {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': never overwrite a key another start wrote meanwhile.
      fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = crypto.createPrivateKey(fs.readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: the audit signing key must be Ed25519`);
  return key;
}

export const publicKeyOf = (key: crypto.KeyObject): string =>
  crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');

export function verifyHeadSignature(publicKeyB64: string, seq: number, hash: string, signatureB64: string): boolean {
  try {
    const pub = crypto.createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return crypto.verify(null, Buffer.from(auditHeadMessage(seq, hash), 'utf8'), pub, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export class AuditHeadSigner {
  readonly publicKey: string;
  /** The last head signed: a pull while nothing was written signs and stores nothing. */
  private last: SignedHead | null = null;

  constructor(private readonly key: crypto.KeyObject) {
    this.publicKey = publicKeyOf(key);
  }

  static forDataDir(dataDir: string, configuredFile?: string): AuditHeadSigner {
    return new AuditHeadSigner(loadOrCreateAuditKey(auditKeyFile(dataDir, configuredFile)));
  }

  sign(seq: number, hash: string): SignedHead {
    const signature = crypto.sign(null, Buffer.from(auditHeadMessage(seq, hash), 'utf8'), this.key).toString('base64');
    return { seq, hash, signature, publicKey: this.publicKey };
  }

  /** The current head, signed; stored once per head so verify-audit can check it later. */
  async current(db: Queryable): Promise<SignedHead> {
    const head = await auditHead(db);
    if (this.last && this.last.seq === head.seq && this.last.hash === head.hash) return this.last;
    const signed = this.sign(head.seq, head.hash);
    await db
      .insertInto('audit_head_signatures')
      .values({ seq: head.seq, hash: head.hash, signature: signed.signature, public_key: signed.publicKey })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    this.last = signed;
    return signed;
  }
}

export type SignaturesResult = { ok: true; checked: number } | { ok: false; checked: number; seq: number; reason: string };

/**
 * verify-audit: every signed head must name an entry of the chain (same hash), carry the
 * portal's key (when the key file is at hand) and a valid signature of that key.
 */
export async function verifyHeadSignatures(db: Queryable, expectedKey: string | null): Promise<SignaturesResult> {
  let checked = 0;
  let after = -1;
  for (;;) {
    const page = await db.selectFrom('audit_head_signatures').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (page.length === 0) return { ok: true, checked };
    const hashes = new Map(
      (await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', page.map((r) => r.seq)).execute()).map((r) => [Number(r.seq), r.hash]),
    );
    for (const r of page) {
      const seq = Number(r.seq);
      const chainHash = seq === 0 ? '0'.repeat(64) : hashes.get(seq);
      if (chainHash !== r.hash) return { ok: false, checked, seq, reason: `the signed head ${seq} does not match the chain's entry ${seq}` };
      if (expectedKey !== null && r.public_key !== expectedKey) return { ok: false, checked, seq, reason: `the head ${seq} was signed by another key than the portal's` };
      if (!verifyHeadSignature(r.public_key, seq, r.hash, r.signature)) return { ok: false, checked, seq, reason: `the signature of head ${seq} is invalid` };
      checked++;
      after = seq;
    }
  }
}
