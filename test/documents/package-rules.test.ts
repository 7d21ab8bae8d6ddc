/**
 * The package rules, one test per rule, on the seed's recommended template and inspections shaped
 * like the inspector's (signer summaries, lock states, PDF profiles). Dates at the 30/90-day limits
 * in Almaty. Every item code has a text in kk/ru/en with the params it uses.
 */
import { describe, expect, it } from 'vitest';
import type { FileAnswer } from '../../src-shared/aki/answers';
import type { AkiTemplate } from '../../src-shared/aki/template';
import type { DocumentInspection, SignerSummary } from '../../src-shared/documents/model';
import { almatyDate, checkPackage, packageAllowsSubmission, packageReport, PACKAGE_ITEM_CODES, PACKAGE_ITEM_SEVERITY, type PackageCheckInput } from '../../src-shared/documents/package-check';
import { RECOMMENDED_PACKAGE_TEMPLATE } from '../../src-shared/documents/recommended-template';
import { addDays } from '../../src-shared/aki/answers';
import { catalogs, lookup, translate, LANGUAGES } from '../../src-shared/i18n';

const BIN = '150340012340';
const TODAY = '2026-11-23';
const hash = (n: number) => n.toString(16).padStart(64, '0');

function signer(o: Partial<SignerSummary> & { bin?: string; iin?: string; algorithm?: string; test?: boolean } = {}): SignerSummary {
  const { bin = BIN, iin = '900115301235', algorithm = 'RSA', test = false, ...rest } = o;
  return {
    index: 0,
    certificate: {
      owner: 'ҚАСЫМОВ ӘЛИ НҰРЛАНҰЛЫ', iin, ...(bin ? { bin } : {}), roles: ['legal_entity', 'first_head'], purpose: 'SIGN', algorithm,
      issuer: 'ҰКО', notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', serialNumberHex: 'ab', test,
    },
    verdict: 'indeterminate',
    reasons: ['revocation_not_checked'],
    digestAlgorithm: '2.16.840.1.101.3.4.2.1',
    timestamped: false,
    ...rest,
  };
}

function doc(n: number, o: Omit<Partial<DocumentInspection>, 'pdf'> & { pdf?: Partial<NonNullable<DocumentInspection['pdf']>> | null } = {}): DocumentInspection {
  const { pdf, ...rest } = o;
  return {
    sha256: hash(n),
    contentType: 'application/pdf',
    size: 40_000,
    pdf: pdf === null ? null : { pages: 2, encrypted: false, pdfa: null, fillableFields: 0, textChars: 1500, textLanguage: 'ru', textLanguagesPresent: ['ru'], ...pdf },
    serial: null,
    lock: { state: 'locked', reasons: [] },
    badges: ['signed'],
    signers: [signer()],
    report: null,
    problems: [],
    inspectedAt: '2026-11-23T10:00:00Z',
    ...rest,
  };
}

const fileAnswer = (n: number, o: Partial<FileAnswer> = {}): FileAnswer => ({ sha256: hash(n), name: `doc${n}.pdf`, size: 40_000, contentType: 'application/pdf', language: 'ru', ...o });

/** A complete, good package for the recommended template. */
function goodPackage(): PackageCheckInput {
  const keys = ['registration_certificate', 'charter', 'passport', 'registry_extract', 'tax_debt_certificate'];
  const answers: PackageCheckInput['answers'] = {};
  const inspections: PackageCheckInput['inspections'] = {};
  keys.forEach((k, i) => {
    answers[k] = fileAnswer(i + 1, k === 'registry_extract' ? { issuedOn: addDays(TODAY, -10) } : k === 'tax_debt_certificate' ? { issuedOn: addDays(TODAY, -60) } : {});
    inspections[hash(i + 1)] = doc(i + 1);
  });
  return { template: RECOMMENDED_PACKAGE_TEMPLATE, answers, inspections, supplierBin: BIN, today: TODAY };
}

const only = (items: ReturnType<typeof checkPackage>, field: string) => items.filter((i) => i.field === field).map((i) => `${i.severity}:${i.code}`);
function withDoc(field: string, inspection: DocumentInspection, answer: Partial<FileAnswer> = {}): ReturnType<typeof checkPackage> {
  const p = goodPackage();
  const n = Number.parseInt(inspection.sha256, 16);
  p.answers[field] = fileAnswer(n, { ...(p.answers[field] as FileAnswer), sha256: inspection.sha256, ...answer });
  p.inspections[inspection.sha256] = inspection;
  return checkPackage(p);
}

describe('the recommended template', () => {
  it('a complete good package: no errors (warnings: RSA instead of GOST; info: revocation offline)', () => {
    const items = checkPackage(goodPackage());
    expect(items.filter((i) => i.severity === 'error')).toEqual([]);
    expect(packageAllowsSubmission(items)).toBe(true);
    expect(new Set(items.map((i) => i.code))).toEqual(new Set(['not_gost', 'revocation_not_checked']));
    const report = packageReport(goodPackage(), '2026-11-23T10:00:00Z');
    expect(Object.keys(report.documents).sort()).toEqual(['charter', 'passport', 'registration_certificate', 'registry_extract', 'tax_debt_certificate']);
  });

  it('missing: required documents are errors; "if available" ones (tax registration, power of attorney) are never', () => {
    const p = goodPackage();
    delete p.answers.charter;
    p.answers.passport = null;
    const items = checkPackage(p);
    expect(only(items, 'charter')).toEqual(['error:missing']);
    expect(only(items, 'passport')).toEqual(['error:missing']);
    expect(only(items, 'tax_registration')).toEqual([]);
    expect(only(items, 'power_of_attorney')).toEqual([]);
    expect(packageAllowsSubmission(items)).toBe(false);
  });
});

describe('file rules', () => {
  it('not a PDF where only PDF is accepted → error; the file not on this computer → error', () => {
    expect(only(withDoc('charter', doc(50, { contentType: 'image/jpeg', pdf: null, badges: ['unsigned'], signers: [], lock: { state: 'unsigned', reasons: [] } })), 'charter')).toEqual(['error:not_pdf']);
    const p = goodPackage();
    delete p.inspections[hash(2)];
    expect(only(checkPackage(p), 'charter')).toEqual(['error:file_missing']);
  });

  it('encrypted and unreadable PDFs → errors', () => {
    expect(only(withDoc('charter', doc(51, { pdf: { encrypted: true }, problems: ['pdf_encrypted'], signers: [], lock: { state: 'unsigned', reasons: [] } })), 'charter')).toEqual(['error:encrypted']);
    expect(only(withDoc('charter', doc(52, { pdf: null, problems: ['pdf_unreadable'], signers: [], lock: { state: 'unsigned', reasons: [] } })), 'charter')).toEqual(['error:pdf_unreadable']);
  });

  it('PDF/A claimed with output intent and embedded fonts → info "claims", never "is"; missing parts → warnings', () => {
    const ok = withDoc('charter', doc(53, { pdf: { pdfa: { part: '2', conformance: 'B', outputIntent: true, fontsEmbedded: true } } }));
    expect(ok.find((i) => i.field === 'charter' && i.code === 'pdfa_claimed')).toMatchObject({ severity: 'info', params: { profile: 'PDF/A-2b' } });
    expect(translate('en', 'packageCheck.items.pdfa_claimed', { profile: 'PDF/A-2b' })).toMatch(/^Claims PDF\/A-2b; basic checks passed/);
    for (const lng of LANGUAGES) expect(lookup(catalogs[lng], 'packageCheck.items.pdfa_claimed')).not.toMatch(/\bis PDF\/A|является PDF\/A/i);
    const weak = withDoc('charter', doc(54, { pdf: { pdfa: { part: '2', conformance: 'B', outputIntent: false, fontsEmbedded: false }, fillableFields: 3 } }));
    expect(only(weak, 'charter').filter((c) => c.includes('pdfa'))).toEqual(['warning:pdfa_no_output_intent', 'warning:pdfa_fonts_not_embedded']);
  });

  it('no PDF/A claim: flattened passes; fillable fields → error', () => {
    expect(only(withDoc('charter', doc(55, { pdf: { fillableFields: 0 } })), 'charter').filter((c) => c.startsWith('error'))).toEqual([]);
    const items = withDoc('charter', doc(56, { pdf: { fillableFields: 2 } }));
    expect(items.find((i) => i.field === 'charter' && i.severity === 'error')).toMatchObject({ code: 'not_flat_or_pdfa', params: { fields: 2 } });
  });

  it('signed flag: unsigned → error', () => {
    const items = withDoc('charter', doc(57, { signers: [], badges: ['unsigned'], lock: { state: 'unsigned', reasons: [] } }));
    expect(only(items, 'charter')).toContain('error:unsigned');
  });

  it('modified after signing and a broken signature are errors for ANY attached file, flags or not', () => {
    const noFlags: AkiTemplate = { requirements: [{ type: 'file', key: 'misc', label: { kk: 'Басқа', ru: 'Прочее', en: 'Other' }, required: false, accept: ['pdf', 'image'], signed: false, pdfA: false, signerMustBeSupplier: false, timestamp: false, gost: false, declareLanguage: false }] };
    const base = { template: noFlags, supplierBin: BIN, today: TODAY };
    const modified = doc(58, { lock: { state: 'modified_after_signing', reasons: ['pdf_changed_after_signing'] } });
    expect(checkPackage({ ...base, answers: { misc: fileAnswer(58) }, inspections: { [modified.sha256]: modified } }).map((i) => `${i.severity}:${i.code}`)).toEqual(['error:modified_after_signing']);
    const broken = doc(59, { lock: { state: 'signature_invalid', reasons: ['signature_invalid'] } });
    expect(checkPackage({ ...base, answers: { misc: fileAnswer(59) }, inspections: { [broken.sha256]: broken } }).map((i) => i.code)).toEqual(['signature_invalid']);
  });

  it('expired certificate without timestamp and revoked certificate → errors; expired after a timestamped signature → info', () => {
    const expired = withDoc('charter', doc(60, { signers: [signer({ reasons: ['cert_expired_no_timestamp', 'revocation_not_checked'] })] }));
    expect(only(expired, 'charter')).toContain('error:cert_expired');
    const revoked = withDoc('charter', doc(61, { signers: [signer({ reasons: ['revoked_before_signing'], verdict: 'invalid' })] }));
    expect(only(revoked, 'charter')).toContain('error:cert_revoked');
  });

  it('untrusted chain → warning; TEST root → warning (not untrusted)', () => {
    expect(only(withDoc('charter', doc(62, { signers: [signer({ reasons: ['chain_untrusted', 'revocation_not_checked'] })] })), 'charter')).toContain('warning:untrusted');
    const test = only(withDoc('charter', doc(63, { signers: [signer({ test: true })] })), 'charter');
    expect(test).toContain('warning:test_root');
    expect(test).not.toContain('warning:untrusted');
  });

  it('signerMustBeSupplier: another BIN → error naming the BIN found; an entrepreneur signs with the IIN that is the BIN', () => {
    const other = withDoc('charter', doc(64, { signers: [signer({ bin: '200760001231' })] }));
    expect(other.find((i) => i.code === 'signer_not_supplier')).toMatchObject({ severity: 'error', params: { expected: BIN, found: '200760001231' } });
    expect(translate('ru', 'packageCheck.items.signer_not_supplier', { expected: BIN, found: '200760001231' })).toContain('200760001231');
    const p = goodPackage();
    p.supplierBin = '850722400563';
    for (const k of Object.keys(p.inspections)) p.inspections[k] = { ...p.inspections[k]!, signers: [signer({ bin: '', iin: '850722400563' })] };
    expect(checkPackage(p).filter((i) => i.code === 'signer_not_supplier')).toEqual([]);
    // Co-signed by the head (supplier) and someone else: the supplier's signature is there.
    expect(only(withDoc('charter', doc(65, { signers: [signer(), signer({ index: 1, bin: '200760001231' })] })), 'charter')).not.toContain('error:signer_not_supplier');
  });

  it('gost: RSA → warning naming the algorithm; GOST → info', () => {
    expect(withDoc('charter', doc(66)).find((i) => i.field === 'charter' && i.code === 'not_gost')).toMatchObject({ severity: 'warning', params: { algorithm: 'RSA' } });
    expect(withDoc('charter', doc(67, { signers: [signer({ algorithm: 'GOST_34_10_2015' })] })).find((i) => i.field === 'charter' && i.code === 'gost')).toMatchObject({ severity: 'info' });
  });

  it('timestamp flag (power of attorney): no valid timestamp → error; with one → fine', () => {
    const p = goodPackage();
    p.answers.power_of_attorney = fileAnswer(70);
    p.inspections[hash(70)] = doc(70);
    expect(only(checkPackage(p), 'power_of_attorney')).toContain('error:no_timestamp');
    p.inspections[hash(70)] = doc(70, { signers: [signer({ timestamped: true, timestampTime: '2026-11-20T08:00:00Z' })] });
    expect(only(checkPackage(p), 'power_of_attorney')).not.toContain('error:no_timestamp');
  });
});

describe('freshness (maxAgeDays) in Almaty days', () => {
  const extract = (issuedOn: string | undefined, inspection = doc(80)) => withDoc('registry_extract', inspection, issuedOn ? { issuedOn } : { issuedOn: undefined });

  it('registry extract: exactly 30 days old passes, 31 fails with the date and the limit', () => {
    expect(only(extract(addDays(TODAY, -30)), 'registry_extract').filter((c) => c.startsWith('error'))).toEqual([]);
    const old = extract(addDays(TODAY, -31)).find((i) => i.code === 'too_old');
    expect(old).toMatchObject({ severity: 'error', params: { date: '2026-10-23', days: 30, age: 31 } });
    expect(translate('ru', 'packageCheck.items.too_old', old!.params)).toBe('Документ выдан 2026-10-23, 31 дн. назад; допускается не старше 30 дней. Получите новый документ и приложите его.');
  });

  it('tax-debt certificate: 90 days passes, 91 fails', () => {
    const at = (d: number) => withDoc('tax_debt_certificate', doc(81), { issuedOn: addDays(TODAY, -d) }).filter((i) => i.field === 'tax_debt_certificate' && i.code === 'too_old');
    expect(at(90)).toEqual([]);
    expect(at(91)).toHaveLength(1);
  });

  it('no issue date: the verified timestamp date (in Almaty) is used; neither → error asking for the date', () => {
    // 2026-10-23T20:30Z is already 24 October in Almaty (UTC+5): exactly 30 days before 23 November.
    const ts = doc(82, { signers: [signer({ timestamped: true, timestampTime: '2026-10-23T20:30:00Z' })] });
    expect(almatyDate('2026-10-23T20:30:00Z')).toBe('2026-10-24');
    const items = extract(undefined, ts).filter((i) => i.field === 'registry_extract');
    expect(items.map((i) => i.code)).toContain('issue_date_from_timestamp');
    expect(items.filter((i) => i.severity === 'error')).toEqual([]);
    const older = doc(83, { signers: [signer({ timestamped: true, timestampTime: '2026-10-23T18:30:00Z' })] });
    expect(extract(undefined, older).find((i) => i.code === 'too_old')).toMatchObject({ params: { date: '2026-10-23', days: 30 } });
    expect(extract(undefined).find((i) => i.code === 'issue_date_missing')).toMatchObject({ severity: 'error', params: { days: 30 } });
  });

  it('an issue date in the future → error', () => {
    expect(extract(addDays(TODAY, 1)).find((i) => i.code === 'issue_date_in_future')?.severity).toBe('error');
  });
});

describe('language', () => {
  it('not declared → error', () => {
    expect(only(withDoc('charter', doc(90), { language: undefined }), 'charter')).toContain('error:language_missing');
  });
  it('declared kk, text Russian → warning (detection is a heuristic; the supplier corrects the declaration)', () => {
    expect(withDoc('charter', doc(91), { language: 'kk' }).find((i) => i.code === 'language_mismatch')).toMatchObject({ severity: 'warning', params: { declared: 'kk', detected: 'ru' } });
  });
  it('a bilingual paper matches either declaration', () => {
    const bi = doc(92, { pdf: { textLanguage: 'kk', textLanguagesPresent: ['kk', 'ru'] } });
    expect(withDoc('charter', bi, { language: 'ru' }).filter((i) => i.code.startsWith('language'))).toEqual([]);
  });
  it('no text layer → info "not verifiable"; another language → warning', () => {
    expect(withDoc('charter', doc(93, { pdf: { textChars: 0, textLanguage: 'unknown', textLanguagesPresent: undefined } })).find((i) => i.code === 'language_not_verifiable')?.severity).toBe('info');
    expect(withDoc('charter', doc(94, { pdf: { textLanguage: 'other', textLanguagesPresent: undefined } })).find((i) => i.code === 'language_other')?.severity).toBe('warning');
  });
});

describe('texts', () => {
  it('every item code has a text in kk, ru and en, with the same placeholders', () => {
    for (const code of PACKAGE_ITEM_CODES) {
      const ph = (lng: (typeof LANGUAGES)[number]) => [...(lookup(catalogs[lng], `packageCheck.items.${code}`) ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      for (const lng of LANGUAGES) expect(lookup(catalogs[lng], `packageCheck.items.${code}`), `${lng}:${code}`).toBeTruthy();
      expect(ph('ru'), code).toEqual(ph('kk'));
      expect(ph('en'), code).toEqual(ph('kk'));
      expect(['error', 'warning', 'info']).toContain(PACKAGE_ITEM_SEVERITY[code]);
    }
  });
});
