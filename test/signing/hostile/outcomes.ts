/**
 * What a hostile input may end in, and the checks that it did: a thrown AppError with a code from
 * HOSTILE_ERROR_CODES, a verification report whose problems and reasons are known codes, or a
 * document inspection whose problems are known codes — each with a text in kk, ru and en, never
 * `internal`, never a raw JavaScript message.
 */
import { catalogs, LANGUAGES, lookup } from '../../../src-shared/i18n';
import { PDF_READ_ERRORS } from '../../../src-shared/pdf/model';
import { ERROR_CODES, toErrorShape } from '../../../src-shared/rpc/errors';
import { REASONS, REPORT_PROBLEMS, type VerificationReport } from '../../../src-shared/signing/report';
import { problemText, REPORT_TEXTS } from '../../../src-shared/signing/report-i18n';
import type { DocumentInspection } from '../../../src-shared/documents/model';

/** The codes a damaged PDF, CMS, certificate or key file may be refused with. */
export const HOSTILE_ERROR_CODES: readonly string[] = [
  ...PDF_READ_ERRORS,
  'pdf_too_large',
  'cms_invalid',
  'cert_invalid',
  'key_corrupt',
  'key_wrong_password',
  'key_no_private_key',
  'key_gost_container',
  'pkcs12_iterations_too_high',
  'file_too_large',
  'file_unreadable',
  'signature_invalid',
  // stamping refuses signed and stamped documents with their own codes
  'document_already_signed',
  'document_already_stamped',
];

/** `DocumentInspection.problems` codes (src-main/documents/inspect.ts and the bounded reader's). */
export const INSPECTION_PROBLEMS: readonly string[] = [
  'file_missing',
  'pdf_unreadable',
  'pdf_encrypted',
  'pdf_too_large',
  'pdf_structure_damaged',
  'pdf_text_timeout',
  'pdf_text_unreadable',
  'verification_failed',
  ...PDF_READ_ERRORS,
];

/** What a raw JavaScript failure looks like in a message. */
export const RAW_JS = /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|Cannot set propert|undefined is not|is not a function|is not iterable|is not defined|Maximum call stack|Invalid array length|Unexpected token|null \(reading/;

export type Outcome = { via: string; input: string; problem: string };

/** Collects what went wrong across the corpus, so one failing assertion lists every leak at once. */
export class Findings {
  readonly leaks: Outcome[] = [];
  readonly seen = { errors: new Map<string, number>(), reportProblems: new Set<string>(), reasons: new Set<string>(), inspectionProblems: new Set<string>() };
  private leak(via: string, input: string, problem: string) {
    if (this.leaks.length < 200) this.leaks.push({ via, input, problem: problem.slice(0, 300) });
  }

  thrown(via: string, input: string, e: unknown, expect?: readonly string[]): void {
    const code = (e as { code?: unknown })?.code;
    const message = String((e as Error)?.message ?? e);
    const shape = toErrorShape(e);
    if (typeof code !== 'string' || !HOSTILE_ERROR_CODES.includes(code)) return this.leak(via, input, `threw ${String(code)}: ${message}`);
    if (shape.code !== code) return this.leak(via, input, `rpc mapping gave ${shape.code} for ${code}`);
    if (RAW_JS.test(message)) return this.leak(via, input, `raw message in ${code}: ${message}`);
    if (expect && !expect.includes(code)) return this.leak(via, input, `${code}, expected ${expect.join('|')}`);
    this.seen.errors.set(code, (this.seen.errors.get(code) ?? 0) + 1);
  }

  /** An entry point that was expected to refuse returned instead. */
  returned(via: string, input: string, expect?: readonly string[]): void {
    if (expect) this.leak(via, input, `no error, expected ${expect.join('|')}`);
  }

  report(via: string, input: string, r: VerificationReport): void {
    for (const p of r.problems) {
      if (!(REPORT_PROBLEMS as readonly string[]).includes(p)) this.leak(via, input, `report problem ${p}`);
      else this.seen.reportProblems.add(p);
    }
    for (const s of r.signatures) {
      // Timestamp problems are codes too (timestamp_*, chain_*), never a parser's message.
      for (const p of s.timestamp?.problems ?? []) if (!/^(timestamp|chain)_[a-z_]+$/.test(p)) this.leak(via, input, `timestamp problem ${p}`);
      for (const reason of s.reasons) {
        if (!(reason in REASONS)) this.leak(via, input, `reason ${reason}`);
        else this.seen.reasons.add(reason);
      }
    }
  }

  inspection(via: string, input: string, i: DocumentInspection): void {
    for (const p of i.problems) {
      if (!INSPECTION_PROBLEMS.includes(p)) this.leak(via, input, `inspection problem ${p}`);
      else this.seen.inspectionProblems.add(p);
    }
    if (i.report) this.report(via, input, i.report);
  }

  /** CLI stderr after exit code 4: one translated line ending in `[code]`. */
  cliError(via: string, input: string, stderr: string, expect?: readonly string[]): void {
    const code = /\[([a-z0-9_]+)\]\s*$/.exec(stderr)?.[1];
    if (!code || !HOSTILE_ERROR_CODES.includes(code)) return this.leak(via, input, `cli stderr: ${stderr}`);
    if (RAW_JS.test(stderr)) return this.leak(via, input, `cli raw message: ${stderr}`);
    if (expect && !expect.includes(code)) return this.leak(via, input, `cli ${code}, expected ${expect.join('|')}`);
    this.seen.errors.set(code, (this.seen.errors.get(code) ?? 0) + 1);
  }

  /** Every code seen has a real text in kk, ru and en (not the key echoed back). */
  untranslated(): string[] {
    const missing: string[] = [];
    for (const lang of LANGUAGES) {
      for (const code of this.seen.errors.keys()) if (!(ERROR_CODES as readonly string[]).includes(code) || !lookup(catalogs[lang], `errors.${code}`)) missing.push(`${lang}: errors.${code}`);
      for (const p of this.seen.reportProblems) if (problemText(REPORT_TEXTS[lang], p) === p) missing.push(`${lang}: report problem ${p}`);
      for (const r of this.seen.reasons) if (!REPORT_TEXTS[lang].reasons[r as keyof typeof REASONS]) missing.push(`${lang}: reason ${r}`);
      for (const p of this.seen.inspectionProblems) if (!lookup(catalogs[lang], `documents.panel.problem.${p}`)) missing.push(`${lang}: documents.panel.problem.${p}`);
    }
    return missing;
  }
}
