/**
 * Detached CMS over a file through NCALayer. Small files are sent as data, so
 * NCALayer hashes them with the algorithm of whatever key the user picks. Big
 * files cannot cross the local socket: the key is read first (getKeyInfo: its
 * certificate tells the algorithm), the file is hashed here with that
 * algorithm, and NCALayer signs the digest — through the signing core's
 * external-signer interface, which checks the returned CMS against that
 * certificate and digest before anything is written.
 */
import { readFile } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { AppError } from '../../src-shared/rpc/errors';
import { createDetachedCms } from '../../src-shared/signing/cms-build';
import { certificateFacts, parseCertificate, type CertificateFacts } from '../../src-shared/signing/cert-facts';
import { OID } from '../../src-shared/signing/oids';
import { digestFile, fileDigester } from '../signing/hash-file';
import type { CallOptions, NcaLayerClient } from './client';
import { checkReturnedCms, ncaLayerSigner, ncaSignCms } from './sign';
import { STORAGES, cmsFromText, type NcaLocale, type StorageName } from './protocol';
import { NCALAYER_MAX_DATA_BYTES } from './pades';
import { writeAtomically } from '../files/write-atomically';

/** The digest a key signs with (what NCALayer/Kalkan uses for it). */
export function digestOidForKey(publicKeyAlgorithmOid: string): string {
  switch (publicKeyAlgorithmOid) {
    case OID.gost2015Key512:
      return OID.streebog512;
    case OID.gost2015Key256:
      return OID.streebog256;
    case OID.gost2004Key:
      return OID.gost34311;
    default:
      return OID.sha256;
  }
}

export interface NcaFileSignRequest {
  client: NcaLayerClient;
  inPath: string;
  outPath: string;
  /** Storage for getKeyInfo when the file is too big to send (default: the key file store). */
  storage?: StorageName;
  expectedIin?: string;
  expectedBin?: string;
  timestamp?: boolean;
  locale?: NcaLocale;
  maxDataBytes?: number;
  now?: Date;
  call?: CallOptions;
}


export async function signFileCmsWithNcaLayer(r: NcaFileSignRequest): Promise<{ signer: CertificateFacts; mode: 'data' | 'digest'; bytes: number }> {
  const now = r.now ?? new Date();
  const size = (await stat(r.inPath)).size;
  const filters = { ...(r.expectedIin ? { iin: r.expectedIin } : {}), ...(r.expectedBin ? { bin: r.expectedBin } : {}) };
  const expect = { purpose: 'sign' as const, now, ...(r.expectedIin ? { expectedIin: r.expectedIin } : {}), ...(r.expectedBin ? { expectedBin: r.expectedBin } : {}) };
  let cms: Uint8Array;
  let mode: 'data' | 'digest';
  if (size <= (r.maxDataBytes ?? NCALAYER_MAX_DATA_BYTES)) {
    mode = 'data';
    cms = await ncaSignCms(r.client, {
      data: new Uint8Array(await readFile(r.inPath)),
      purpose: 'sign',
      ...filters,
      ...(r.timestamp ? { timestamp: true } : {}),
      ...(r.locale ? { locale: r.locale } : {}),
      ...(r.call ? { call: r.call } : {}),
    });
  } else {
    mode = 'digest';
    const storage = r.storage ?? STORAGES.file;
    const info = await r.client.getKeyInfo(storage, r.call);
    if (!info.pem) throw new AppError('ncalayer_error', 'NCALayer did not return the certificate of the key', { code: 'NO_CERTIFICATE' });
    const certificate = cmsFromText(info.pem);
    const facts = certificateFacts(parseCertificate(certificate));
    const digestAlgorithm = digestOidForKey(facts.publicKeyAlgorithmOid);
    const contentDigest = await digestFile(r.inPath, digestAlgorithm);
    cms = await createDetachedCms({
      contentDigest,
      digestAlgorithm,
      certificate,
      // The same key again: the serial number filter leaves only it selectable.
      signer: ncaLayerSigner(r.client, {
        purpose: 'sign',
        storages: [storage],
        serialNumber: facts.serialNumberHex,
        ...filters,
        ...(r.timestamp ? { timestamp: true } : {}),
        ...(r.locale ? { locale: r.locale } : {}),
        ...(r.call ? { call: r.call } : {}),
      }),
    });
  }
  const signer = await checkReturnedCms(cms, fileDigester(r.inPath), expect);
  await writeAtomically(r.outPath, cms);
  return { signer, mode, bytes: cms.length };
}
