/** Test keys for the NCALayer simulator: SIGN and AUTH keys of an individual and a legal-entity head, an expired AUTH key. */
import { createTestPki, SUBJECTS, KZ_EKU, type TestPki, type IssuedCert } from '../signing/helpers/test-pki';
import type { SimKey } from './simulator';

export interface NcaTestKeys {
  pki: TestPki;
  sign: IssuedCert;
  auth: IssuedCert;
  headSign: IssuedCert;
  expiredAuth: IssuedCert;
  simKeys: SimKey[];
}

export function ncaTestKeys(opts: { iin?: string } = {}): NcaTestKeys {
  const pki = createTestPki();
  const person = { ...SUBJECTS.individual, ...(opts.iin ? { iin: opts.iin } : {}) };
  const sign = pki.issue({ subject: person, kind: 'sign', roles: [KZ_EKU.individual] });
  const auth = pki.issue({ subject: person, kind: 'auth', roles: [KZ_EKU.individual] });
  const headSign = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] });
  const expiredAuth = pki.issue({ subject: person, kind: 'auth', roles: [KZ_EKU.individual], notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
  const key = (c: IssuedCert, storage: string): SimKey => ({ storage, certDer: c.der, keyPem: c.keyPem, chainDer: [pki.root.der] });
  return {
    pki,
    sign,
    auth,
    headSign,
    expiredAuth,
    simKeys: [key(sign, 'PKCS12'), key(auth, 'PKCS12'), key(headSign, 'AKKaztokenStore'), key(expiredAuth, 'PKCS12')],
  };
}
