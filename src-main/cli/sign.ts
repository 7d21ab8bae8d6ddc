import { readFileSync } from 'node:fs';
import { DEFAULT_TSA_URL, identityFromPkcs12, signFileCms, signFilePades } from '../signing/sign-file';
import { REPORT_TEXTS } from '../../src-shared/signing/report-i18n';
import { renderFacts } from './render';
import { EXIT, UsageError, optionalString, passwordFromEnv, requireString, type CliCommand } from './registry';

export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'sign a file: detached CMS (CAdES) or PAdES incremental update',
  usage:
    'sign --key FILE.p12 --password-env NAME (--pades | --cms) --in FILE --out FILE [--tsa URL|nca] [--add-to EXISTING.p7s] [--reason TEXT] [--location TEXT] [--certify 1|2|3]\n' +
    `  --tsa nca uses ${DEFAULT_TSA_URL} (RSA policy 1.2.398.3.3.2.6.2); without --tsa no timestamp is added.\n` +
    '  --add-to co-signs: adds this signer to an existing detached CMS over the same file (with --cms).\n' +
    '  --certify N makes a PAdES certification signature (DocMDP): 1 no changes, 2 forms + signatures, 3 also annotations.',
  options: {
    key: { type: 'string' },
    'password-env': { type: 'string' },
    pades: { type: 'boolean' },
    cms: { type: 'boolean' },
    in: { type: 'string' },
    out: { type: 'string' },
    tsa: { type: 'string' },
    'tsa-policy': { type: 'string' },
    'add-to': { type: 'string' },
    reason: { type: 'string' },
    location: { type: 'string' },
    certify: { type: 'string' },
  },
  async run(v, io) {
    const pades = v.pades === true;
    const cms = v.cms === true;
    if (pades === cms) throw new UsageError('choose exactly one of --pades or --cms');
    const keyPath = requireString(v, 'key');
    const inPath = requireString(v, 'in');
    const outPath = requireString(v, 'out');
    const password = passwordFromEnv(v, io);
    const tsaArg = optionalString(v, 'tsa');
    const tsaPolicy = optionalString(v, 'tsa-policy');
    const timestamp = tsaArg ? { url: tsaArg === 'nca' ? DEFAULT_TSA_URL : tsaArg, ...(tsaPolicy ? { policy: tsaPolicy } : {}) } : undefined;
    const identity = await identityFromPkcs12(new Uint8Array(readFileSync(keyPath)), password);
    const t = REPORT_TEXTS[io.lang];
    let summary: Record<string, unknown>;
    if (cms) {
      const coSignPath = optionalString(v, 'add-to');
      const r = await signFileCms({ identity, inPath, outPath, ...(coSignPath ? { coSignPath } : {}), ...(timestamp ? { timestamp } : {}) });
      summary = { format: 'cms', out: outPath, signerIndex: r.signerIndex, bytes: r.bytes, timestamp: r.timestamp };
    } else {
      const reason = optionalString(v, 'reason');
      const location = optionalString(v, 'location');
      const certifyArg = optionalString(v, 'certify');
      if (certifyArg !== undefined && !['1', '2', '3'].includes(certifyArg)) throw new UsageError('--certify must be 1, 2 or 3');
      const certify = certifyArg ? (Number(certifyArg) as 1 | 2 | 3) : undefined;
      const r = await signFilePades({
        identity,
        inPath,
        outPath,
        ...(timestamp ? { timestamp } : {}),
        appearance: { ...(reason ? { reason } : {}), ...(location ? { location } : {}), ...(certify ? { certify } : {}) },
      });
      summary = { format: 'pades', out: outPath, field: r.fieldName, bytes: r.bytes, timestamp: r.timestamp };
    }
    if (io.json) io.out(JSON.stringify({ ...summary, signer: identity.facts }, null, 2));
    else {
      io.out(`${t.labels.signer}:`);
      for (const l of renderFacts(identity.facts, io.lang)) io.out(l);
      io.out(`→ ${outPath}`);
      const ts = summary.timestamp as { genTime?: string } | undefined;
      if (ts?.genTime) io.out(`${t.labels.timestamp}: ${ts.genTime}`);
    }
    return EXIT.ok;
  },
};
