/**
 * `check-package --dir DIR --category ID`: the package checks (issue 9 §5, §7) on a folder of
 * files, offline. `--category seed-002` is the seed's recommended package (built in); any other
 * category is given as its template JSON with `--template FILE` (the AKI template shape, e.g. from
 * the portal's category editor). Files are matched to requirements by name: the requirement key
 * as prefix (`charter.pdf`, `charter_SRK-….pdf`, `registry_extract-2026.pdf`); the most specific
 * key wins. `--answers FILE.json` gives what the supplier states per key:
 * `{ "registry_extract": { "issuedOn": "2026-11-01", "language": "ru" } }`.
 * Exit code 0 when nothing blocks submission, 1 when any error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DOCUMENT_LANGUAGES, type FileAnswer } from '../../src-shared/aki/answers';
import { AkiTemplateSchema, answerable, type AkiTemplate } from '../../src-shared/aki/template';
import type { DocumentInspection } from '../../src-shared/documents/model';
import { packageAllowsSubmission, packageReport, type FileRequirement } from '../../src-shared/documents/package-check';
import { RECOMMENDED_PACKAGE_ID, RECOMMENDED_PACKAGE_TEMPLATE } from '../../src-shared/documents/recommended-template';
import { translate } from '../../src-shared/i18n/index';
import { inspectDocument } from '../documents/inspect';
import { appTrust } from '../documents/trust';
import { certificatesFromFile } from '../signing/trust-store';
import { EXIT, optionalString, requireString, UsageError, type CliCommand } from './registry';
import { almatyDate } from '../../src-shared/time/almaty';

const StatedSchema = z.record(
  z.string(),
  z.object({ issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), language: z.enum(DOCUMENT_LANGUAGES).optional() }).strict(),
);

function loadTemplate(category: string, templatePath: string | undefined): AkiTemplate {
  if (templatePath) {
    const parsed = AkiTemplateSchema.safeParse(JSON.parse(readFileSync(templatePath, 'utf8')));
    if (!parsed.success) throw new UsageError(`--template ${templatePath} is not an AKI template: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
  if (category === RECOMMENDED_PACKAGE_ID) return RECOMMENDED_PACKAGE_TEMPLATE;
  throw new UsageError(`unknown category ${category}: use --category ${RECOMMENDED_PACKAGE_ID}, or give the category's template with --template FILE`);
}

/** Files of DIR by requirement key: a name starts with the key followed by '.', '_', '-' or ' '. */
export function matchFiles(names: string[], keys: string[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  const longestFirst = [...keys].sort((a, b) => b.length - a.length);
  for (const name of [...names].sort()) {
    const lower = name.toLowerCase();
    const key = longestFirst.find((k) => lower.startsWith(k) && /^[._\- ]/.test(lower.slice(k.length)));
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), name]);
  }
  return byKey;
}

export const checkPackageCommand: CliCommand = {
  name: 'check-package',
  summary: 'package checks of a folder of documents against a category (seed-002 built in); exit 0 when no errors',
  usage:
    'check-package --dir DIR --category seed-002|ID [--template TEMPLATE.json] [--bin BIN] [--answers ANSWERS.json] [--trust CA.pem]... [--trust-dir DIR] [--trust-test-roots] [--online] [--today YYYY-MM-DD] [--json]\n' +
    '  Files are matched by name: requirement key as prefix (charter.pdf, charter_SRK-….pdf).\n' +
    '  --answers: {"registry_extract": {"issuedOn": "2026-11-01", "language": "ru"}, …} (issue date and language per key).\n' +
    '  --bin: the supplier (BIN, or IIN of an individual entrepreneur) whose signature is required.\n' +
    '  Trust: as for verify; revocation is checked online only with --online. Exit codes: 0 no errors, 1 errors, 3 usage, 4 failure.',
  options: {
    dir: { type: 'string' },
    category: { type: 'string' },
    template: { type: 'string' },
    bin: { type: 'string' },
    answers: { type: 'string' },
    trust: { type: 'string', multiple: true },
    'trust-dir': { type: 'string' },
    'trust-test-roots': { type: 'boolean' },
    online: { type: 'boolean' },
    today: { type: 'string' },
  },
  async run(v, io) {
    const dir = requireString(v, 'dir');
    const template = loadTemplate(requireString(v, 'category'), optionalString(v, 'template'));
    const bin = optionalString(v, 'bin');
    if (bin && !/^\d{12}$/.test(bin)) throw new UsageError('--bin must be 12 digits');
    const today = optionalString(v, 'today') ?? almatyDate();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError('--today must be YYYY-MM-DD');
    const answersPath = optionalString(v, 'answers');
    const stated = answersPath ? StatedSchema.safeParse(JSON.parse(readFileSync(answersPath, 'utf8'))) : null;
    if (stated && !stated.success) throw new UsageError(`--answers ${answersPath}: ${stated.error.issues[0]?.message ?? 'invalid'}`);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--dir ${dir} is not a folder`);
    const trustDir = optionalString(v, 'trust-dir');
    const trust = appTrust({
      ...(trustDir ? { productionDir: trustDir } : {}),
      trustTestRoots: v['trust-test-roots'] === true,
      online: v.online === true,
      extra: ((v.trust as string[] | undefined) ?? []).flatMap((f) => certificatesFromFile(f).map((der) => ({ der, kind: 'custom' as const, label: f }))),
    });

    const files = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile());
    const fileReqs = answerable(template).filter((r): r is FileRequirement => r.type === 'file');
    const matched = matchFiles(files, fileReqs.map((r) => r.key));
    const answers: Record<string, FileAnswer> = {};
    const inspections: Record<string, DocumentInspection> = {};
    const notes: string[] = [];
    // A check replayed for another day (--today) judges certificates as of that day, too.
    const now = optionalString(v, 'today') ? new Date(`${today}T12:00:00+05:00`) : new Date();
    for (const r of fileReqs) {
      const names = matched.get(r.key) ?? [];
      const name = names[0];
      if (!name) continue;
      if (names.length > 1) notes.push(`${r.key}: ${names.length} files match, using ${name}`);
      const inspection = await inspectDocument(join(dir, name), { trust, now });
      inspections[inspection.sha256] = inspection;
      const s = stated?.success ? stated.data[r.key] : undefined;
      answers[r.key] = { sha256: inspection.sha256, name: basename(name), size: inspection.size, contentType: inspection.contentType, ...(s?.issuedOn ? { issuedOn: s.issuedOn } : {}), ...(s?.language ? { language: s.language } : {}) };
    }
    const report = packageReport({ template, answers, inspections, supplierBin: bin ?? null, today }, new Date().toISOString());
    const ok = packageAllowsSubmission(report.items);
    if (io.json) {
      // The JSON carries everything but the full verification reports (use `verify --json` for those).
      const documents = Object.fromEntries(Object.entries(report.documents).map(([k, d]) => [k, { ...d, report: null }]));
      io.out(JSON.stringify({ ...report, documents, files: Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.name])), notes, ok }, null, 2));
      return ok ? EXIT.ok : EXIT.invalid;
    }
    const t = (key: string, vars?: Record<string, string | number>) => translate(io.lang, key, vars);
    io.out(t('packageCheck.title'));
    for (const r of fileReqs) {
      const label = r.label[io.lang] || r.label.ru;
      const file = answers[r.key]?.name;
      io.out('');
      io.out(`${label} [${r.key}]${file ? ` — ${file}` : ''}`);
      const items = report.items.filter((i) => i.field === r.key);
      if (items.length === 0 && file) io.out('  ✓');
      for (const i of items) io.out(`  ${i.severity === 'error' ? '✗' : i.severity === 'warning' ? '!' : 'i'} ${t(`packageCheck.severity.${i.severity}`)}: ${t(`packageCheck.items.${i.code}`, i.params)}`);
    }
    for (const n of notes) io.out(`\n${n}`);
    const count = (s: string) => report.items.filter((i) => i.severity === s).length;
    io.out('');
    io.out(t('packageCheck.summary.counts', { errors: count('error'), warnings: count('warning'), infos: count('info') }));
    io.out(ok ? t('packageCheck.summary.ok') : t('packageCheck.summary.blocked'));
    return ok ? EXIT.ok : EXIT.invalid;
  },
};
