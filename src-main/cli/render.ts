/** Plain-text rendering of certificate facts and verification reports in kk/ru/en. */
import type { Language } from '../../src-shared/i18n/languages';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import type { PdfFacts } from '../../src-shared/signing/pdf-facts';
import { DIGEST_LABELS } from '../../src-shared/signing/oids';
import type { VerificationReport } from '../../src-shared/signing/report';
import { modificationText, problemText, REPORT_TEXTS } from '../../src-shared/signing/report-i18n';

const line = (label: string, value: string | undefined) => (value === undefined || value === '' ? [] : [`  ${label}: ${value}`]);

export function renderFacts(f: CertificateFacts, lang: Language, indent = ''): string[] {
  const t = REPORT_TEXTS[lang];
  const rows = [
    ...line(t.labels.owner, f.subject.commonName),
    ...line(t.labels.iin, f.subject.iin),
    ...line(t.labels.bin, f.subject.bin),
    ...line(t.labels.organization, f.subject.organization),
    ...line(t.labels.roles, f.roles.map((r) => t.roles[r]).join(', ')),
    ...line(t.labels.purpose, t.purpose[f.purpose]),
    ...line(t.labels.algorithm, t.algorithm[f.algorithm] + (f.rsaKeyBits ? ` ${f.rsaKeyBits}` : '')),
    ...line(t.labels.validFrom, f.notBefore),
    ...line(t.labels.validTo, f.notAfter),
    ...line(t.labels.issuer, f.issuer.dn),
    ...line(t.labels.serial, f.serialNumberHex),
  ];
  return rows.map((r) => indent + r);
}

export function renderReport(r: VerificationReport, lang: Language): string {
  const t = REPORT_TEXTS[lang];
  const st = (s: string | undefined) => (s === undefined ? undefined : (t.status[s] ?? s));
  const out: string[] = [`${t.labels.report}: ${t.verdict[r.verdict]}`];
  if (r.trust.includes('test')) out.push(`!! ${t.labels.testTrust}`);
  if (r.signatures.length === 0) out.push(t.labels.noSignatures);
  for (const p of r.problems) if (p !== 'no_signatures') out.push(problemText(t, p));
  for (const s of r.signatures) {
    out.push('', `${t.labels.signature} #${s.index + 1}${s.fieldName ? ` (${t.labels.field} ${s.fieldName})` : ''}: ${t.verdict[s.verdict]}`);
    out.push(...line(t.labels.integrity, st(s.integrity)));
    if (s.signer) out.push(...renderFacts(s.signer, lang));
    out.push(...line(t.labels.algorithm, DIGEST_LABELS[s.digestAlgorithm] ?? s.digestAlgorithm));
    out.push(...line(t.labels.signingTime, s.signingTime));
    out.push(...line(t.labels.claimedTime, s.signingTime ? undefined : s.claimedSigningTime));
    if (s.timestamp) {
      out.push(...line(t.labels.timestamp, `${st(s.timestamp.status)}${s.timestamp.facts ? `, ${s.timestamp.facts.genTime}, policy ${s.timestamp.facts.policy}` : ''}`));
      out.push(...line(t.labels.tsa, s.timestamp.tsa?.subject.commonName));
    }
    out.push(...line(t.labels.validityNow, st(s.validityNow)));
    out.push(...line(t.labels.validityAtSigning, st(s.validityAtSigning)));
    out.push(...line(t.labels.chain, `${st(s.chain.status)}${s.chain.anchorKind ? ` [${s.chain.anchorKind.toUpperCase()}]` : ''}`));
    for (const l of s.chain.links) out.push(`    - ${l.subject}`);
    out.push(...line(t.labels.revocation, st(s.revocation.status)));
    for (const c of s.revocation.checks) {
      out.push(`    - ${c.source}${c.url ? ` ${c.url}` : ''}: ${st(c.status)}${c.revocationTime ? ` (${c.revocationTime})` : ''}`);
    }
    if (s.expected?.iin) out.push(...line(`${t.labels.expected} ${t.labels.iin}`, `${s.expected.iin.expected} → ${s.expected.iin.match ? t.labels.yes : t.labels.no}`));
    if (s.expected?.bin) out.push(...line(`${t.labels.expected} ${t.labels.bin}`, `${s.expected.bin.expected} → ${s.expected.bin.match ? t.labels.yes : t.labels.no}`));
    if (s.pdf) {
      out.push(...line(t.labels.wholeFile, s.pdf.coversWholeFile ? t.labels.yes : t.labels.no));
      if (s.pdf.changesAfter.kind !== 'none') {
        out.push(...line(t.labels.laterChanges, `${st(s.pdf.changesAfter.kind)} (${s.pdf.changesAfter.revisionsAfter}, ${s.pdf.changesAfter.bytesAfter} B)`));
      }
      if (s.pdf.changesAfter.modifications?.length) {
        out.push(`  ${t.labels.modifications}:`);
        for (const m of s.pdf.changesAfter.modifications) out.push(`    - ${modificationText(t, m)}`);
      }
    }
    if (s.reasons.length) {
      out.push(`  ${t.labels.reasons}:`);
      for (const reason of s.reasons) out.push(`    - ${t.reasons[reason]}`);
    }
  }
  if (r.pdf) out.push('', `${t.labels.wholeFile}: ${r.pdf.lastSignatureCoversWholeFile ? t.labels.yes : t.labels.no}`);
  return out.join('\n');
}

export function renderPdfFacts(f: PdfFacts, lang: Language): string {
  const t = REPORT_TEXTS[lang];
  const out = [`PDF: ${f.pages} p.`, `${t.labels.pdfa}: ${f.pdfa ? `PDF/A-${f.pdfa.part}${f.pdfa.conformance ?? ''}` : t.labels.no}`];
  out.push(`${t.labels.formFields}: ${f.formFields.length}`);
  for (const ff of f.formFields) out.push(`  - ${ff.name} (${ff.type})`);
  out.push(`${t.labels.signatures}: ${f.signatures.length}`);
  for (const s of f.signatures) {
    out.push(`  - ${s.fieldName ?? '?'} ${s.subFilter ?? ''} ${t.labels.wholeFile}: ${s.coversWholeFile ? t.labels.yes : t.labels.no}`);
    if (s.claimedTime) out.push(`    ${t.labels.claimedTime}: ${s.claimedTime}`);
    if (s.signer) out.push(...renderFacts(s.signer, lang, '  '));
  }
  return out.join('\n');
}
