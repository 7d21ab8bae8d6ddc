/**
 * Opens PKCS#12 key files (.p12) with node-forge — the only JS library here that
 * reads NCA RK's legacy encryptions (3DES key bag, RC2-40 cert bag, SHA-1 MAC).
 * Certificates are taken as the original DER bytes (forge re-encodes Cyrillic
 * names wrongly), keys are handed out as PKCS#8 bytes the caller must wipe.
 * The password is never stored, logged or put into an error.
 */
import forge from 'node-forge';
import { AppError } from '../rpc/errors';
import { fromLatin1, latin1, wipe } from './bytes';
import { certificateFacts, validityAt, type CertificateFacts } from './cert-facts';
import { assertKeyStrongEnough } from './key-strength';
import { checkPkcs12Shape, PKCS12_MAX_BAGS, PKCS12_MAX_ITERATIONS } from './pkcs12-guard';

export type PrivateKeyMaterial =
  | { kind: 'rsa'; pkcs8: Uint8Array }
  /**
   * GOST keys are not used by the local signer (production GOST signing goes through
   * NCALayer); the PKCS#8 is exposed for tests/simulators and wiped by dispose().
   */
  | { kind: 'gost'; algorithmOid: string; pkcs8: Uint8Array };

export interface OpenedKeyStore {
  /** DER of the certificate that belongs to the private key. */
  certificate: Uint8Array;
  /** Other certificates in the file (issuing CAs), DER. */
  chain: Uint8Array[];
  facts: CertificateFacts;
  key: PrivateKeyMaterial;
  /** Overwrites the key bytes; call as soon as the key was imported or used. */
  dispose(): void;
}

interface RawBag {
  localKeyIdHex?: string;
  der?: Uint8Array;
}

function bagLocalKeyId(bag: forge.pkcs12.Bag): string | undefined {
  const id = bag.attributes?.localKeyId?.[0] as unknown;
  return typeof id === 'string' ? forge.util.bytesToHex(id) : undefined;
}

/** Converts whatever forge threw into one of our distinct codes, without its message (may echo input). */
function classify(err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Invalid password|wrong password|MAC could not be verified/i.test(msg)) {
    return new AppError('key_wrong_password', 'Wrong key password');
  }
  return new AppError('key_corrupt', 'The key file is damaged or is not PKCS#12');
}

type Kdf = (...args: unknown[]) => unknown;
/** Where node-forge looks its key derivations up at call time (MAC key, PKCS#12 PBE, PBES2). */
const KDF_SLOTS: { owner: () => Record<string, unknown>; name: string; iterationsArg: number }[] = [
  { owner: () => forge.pkcs12 as unknown as Record<string, unknown>, name: 'generateKey', iterationsArg: 3 },
  { owner: () => (forge.pki as unknown as { pbe: Record<string, unknown> }).pbe, name: 'generatePkcs12Key', iterationsArg: 3 },
  { owner: () => forge.pkcs5 as unknown as Record<string, unknown>, name: 'pbkdf2', iterationsArg: 2 },
];

/**
 * Runs `fn` with every forge key derivation refusing counts above the cap: a second line behind
 * checkPkcs12Shape for bags that only become visible after decrypting an outer SafeContents.
 * Synchronous, and the originals are always put back.
 */
function withKdfCap<T>(fn: () => T): T {
  const saved = KDF_SLOTS.map((s) => ({ slot: s, original: s.owner()[s.name] as Kdf }));
  for (const { slot, original } of saved) {
    slot.owner()[slot.name] = (...args: unknown[]) => {
      const n = Number(args[slot.iterationsArg]);
      if (!(n <= PKCS12_MAX_ITERATIONS)) {
        throw new AppError('pkcs12_iterations_too_high', 'The key file asks for more key-derivation iterations than allowed', { iterations: n, limit: PKCS12_MAX_ITERATIONS });
      }
      // PBES2's PBKDF2 takes the password as UTF-8 octets (OpenSSL 3, Java); forge would feed it UTF-16 code units.
      if (slot.name === 'pbkdf2' && typeof args[0] === 'string') args[0] = forge.util.encodeUtf8(args[0]);
      return original(...args);
    };
  }
  try {
    return fn();
  } finally {
    for (const { slot, original } of saved) slot.owner()[slot.name] = original;
  }
}

export function openPkcs12(fileBytes: Uint8Array, password: string): OpenedKeyStore {
  // Size, structure and iteration counts first: nothing below derives a key before this passed.
  checkPkcs12Shape(fileBytes);
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(latin1(fileBytes), false);
  } catch {
    throw new AppError('key_corrupt', 'The key file is damaged or is not PKCS#12');
  }
  const rawCerts: Uint8Array[] = [];
  const pki = forge.pki as unknown as { certificateFromAsn1: (obj: forge.asn1.Asn1, computeHash?: boolean) => forge.pki.Certificate };
  const original = pki.certificateFromAsn1;
  let p12: forge.pkcs12.Pkcs12Pfx;
  // Record every certificate's exact DER as forge decodes it (synchronous, restored below).
  pki.certificateFromAsn1 = (obj, computeHash) => {
    rawCerts.push(fromLatin1(forge.asn1.toDer(obj).getBytes()));
    return original(obj, computeHash);
  };
  try {
    p12 = withKdfCap(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, password));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw classify(e);
  } finally {
    pki.certificateFromAsn1 = original;
  }

  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag!] ?? [];
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag!] ?? []),
  ];
  const bagCount = p12.safeContents.reduce((n, sc) => n + sc.safeBags.length, 0);
  if (bagCount > PKCS12_MAX_BAGS) throw new AppError('key_corrupt', 'The key file holds too many entries', { reason: 'bags', bags: bagCount, limit: PKCS12_MAX_BAGS });
  // Certificates forge could parse were recorded in order; the others (GOST) keep their ASN.1 on the bag.
  let recorded = 0;
  const certs: RawBag[] = certBags.map((bag) => {
    const der = bag.cert ? rawCerts[recorded++] : bag.asn1 ? fromLatin1(forge.asn1.toDer(bag.asn1).getBytes()) : undefined;
    return { localKeyIdHex: bagLocalKeyId(bag), der };
  });
  const usable = certs.filter((c): c is RawBag & { der: Uint8Array } => c.der !== undefined);
  if (usable.length === 0) throw new AppError('key_corrupt', 'The key file holds no certificate');
  const keyBag = keyBags[0];
  if (!keyBag) throw new AppError('key_no_private_key', 'The file holds no private key');
  const keyId = bagLocalKeyId(keyBag);

  let mine = usable.find((c) => keyId !== undefined && c.localKeyIdHex === keyId);
  if (!mine) mine = usable.find((c) => !certificateFacts(c.der).isCa) ?? usable[0]!;
  const facts = certificateFacts(mine.der);
  const chain = usable.filter((c) => c !== mine).map((c) => c.der);

  let key: PrivateKeyMaterial;
  if (keyBag.key) {
    const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key as forge.pki.rsa.PrivateKey));
    key = { kind: 'rsa', pkcs8: fromLatin1(forge.asn1.toDer(info).getBytes()) };
  } else {
    let algorithmOid = facts.publicKeyAlgorithmOid;
    try {
      const seq = keyBag.asn1 as forge.asn1.Asn1;
      const algSeq = (seq.value as forge.asn1.Asn1[])[1]!;
      algorithmOid = forge.asn1.derToOid((algSeq.value as forge.asn1.Asn1[])[0]!.value as string);
    } catch {
      /* keep the certificate's algorithm */
    }
    key = { kind: 'gost', algorithmOid, pkcs8: keyBag.asn1 ? fromLatin1(forge.asn1.toDer(keyBag.asn1).getBytes()) : new Uint8Array() };
  }
  (keyBag as { key?: unknown }).key = undefined;
  (keyBag as { asn1?: unknown }).asn1 = undefined;

  return {
    certificate: mine.der,
    chain,
    facts,
    key,
    dispose() {
      wipe(key.pkcs8);
    },
  };
}

/**
 * The checks before a key may sign: inside its validity period, not an
 * authentication (AUTH) key, RSA of at least 2048 bits. GOST keys are refused by the local signer later.
 */
export function assertUsableForSigning(facts: CertificateFacts, now: Date): void {
  const v = validityAt(facts, now);
  if (v === 'expired') throw new AppError('cert_expired', 'The certificate has expired', { notAfter: facts.notAfter });
  if (v === 'not_yet_valid') {
    throw new AppError('cert_not_yet_valid', 'The certificate is not valid yet', { notBefore: facts.notBefore });
  }
  if (facts.purpose === 'AUTH') throw new AppError('cert_auth_key_for_signing', 'Authentication key used for signing');
  assertKeyStrongEnough(facts);
}
