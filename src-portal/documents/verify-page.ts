/**
 * The page a person sees after scanning the QR code on a paper copy: one self-contained HTML
 * document (inline style allowed by its hash, nothing else loaded), in kk / ru / en.
 */
import { createHash } from 'node:crypto';
import type { Language } from '../../src-shared/i18n/languages';
import { translate } from '../../src-shared/i18n';
import { REPORT_TEXTS } from '../../src-shared/signing/report-i18n';
import type { VerifyAnswer, VerifyVersion } from './schemas';

const PAGE = {
  kk: {
    title: 'Құжатты тексеру',
    registered: 'Бұл нөмірмен құжат Seriktes порталында тіркелген.',
    serial: 'Құжат нөмірі',
    organization: 'Ұйым',
    bin: 'БСН',
    firstRegistered: 'Алғаш тіркелген',
    versions: 'Нұсқалар ({{count}}), ең жаңасы бірінші',
    version: '{{n}}-нұсқа',
    uploadedAt: 'Жүктелген уақыты',
    uploadedFor: 'Жүктеген ұйым',
    pages: 'Беттер саны',
    sha256: 'Файл хэші (SHA-256)',
    lock: 'Қолтаңбалар күйі',
    badges: 'Белгілер',
    signers: 'Қол қойғандар',
    noSigners: 'Бұл нұсқаға қол қойылмаған.',
    name: 'Аты-жөні',
    iin: 'ЖСН',
    role: 'Рөлі',
    claimedTime: 'Мәлімделген қол қою уақыты',
    timestampTime: 'Уақыт белгісі бойынша қол қою уақыты',
    verdict: 'Қорытынды',
    unknown: 'белгісіз',
    conflict: 'Назар аударыңыз: осы нөмірмен басқа ұйым жүктеген құжат та бар. Бұл жалған көшірме болуы мүмкін: құжатты нөмір иесі ұйымнан тексеріңіз.',
    versionConflict: 'Бұл нұсқаны нөмір иесі емес, басқа ұйым жүктеген.',
    notFoundTitle: 'Құжат табылмады',
    notFound: 'Бұл нөмірмен тіркелген құжат жоқ. Нөмірді қағаздағы жазумен салыстырыңыз; нөмір дұрыс болса, құжат порталға жүктелмеген.',
    malformedTitle: 'Нөмір дұрыс емес',
    rateLimitedTitle: 'Сұраулар тым көп',
    statusAsOf: 'Қолтаңбалар құжат порталға жүктелген кезде тексерілген.',
    privacy: 'Бұл бетте құжаттың мазмұны көрсетілмейді: тек оның деректері мен қолтаңбаларының күйі. Қол қоюшылардың ЖСН-і жартылай жасырылған.',
    test: 'ҰКО ТЕСТ сертификаты: заңды күші жоқ.',
    language: 'Тіл',
  },
  ru: {
    title: 'Проверка документа',
    registered: 'Документ с этим номером зарегистрирован на портале Seriktes.',
    serial: 'Номер документа',
    organization: 'Организация',
    bin: 'БИН',
    firstRegistered: 'Впервые зарегистрирован',
    versions: 'Версии ({{count}}), сначала новые',
    version: 'Версия {{n}}',
    uploadedAt: 'Загружена',
    uploadedFor: 'Загрузившая организация',
    pages: 'Страниц',
    sha256: 'Хэш файла (SHA-256)',
    lock: 'Состояние подписей',
    badges: 'Отметки',
    signers: 'Подписанты',
    noSigners: 'Эта версия не подписана.',
    name: 'ФИО',
    iin: 'ИИН',
    role: 'Роль',
    claimedTime: 'Заявленное время подписания',
    timestampTime: 'Время подписания по метке времени',
    verdict: 'Итог',
    unknown: 'неизвестно',
    conflict: 'Внимание: с этим номером есть и документ, загруженный другой организацией. Это может быть подделка: уточните документ у организации — владельца номера.',
    versionConflict: 'Эту версию загрузила не организация — владелец номера, а другая.',
    notFoundTitle: 'Документ не найден',
    notFound: 'Документ с этим номером не зарегистрирован. Сверьте номер с надписью на бумажной копии; если номер верен, документ на портал не загружался.',
    malformedTitle: 'Неверный номер',
    rateLimitedTitle: 'Слишком много запросов',
    statusAsOf: 'Подписи проверены при загрузке документа на портал.',
    privacy: 'Эта страница не показывает содержимое документа — только его сведения и состояние подписей. ИИН подписантов частично скрыты.',
    test: 'Тестовый сертификат НУЦ: юридической силы не имеет.',
    language: 'Язык',
  },
  en: {
    title: 'Document verification',
    registered: 'A document with this number is registered on the Seriktes portal.',
    serial: 'Document number',
    organization: 'Organization',
    bin: 'BIN',
    firstRegistered: 'First registered',
    versions: 'Versions ({{count}}), newest first',
    version: 'Version {{n}}',
    uploadedAt: 'Uploaded',
    uploadedFor: 'Uploaded for',
    pages: 'Pages',
    sha256: 'File hash (SHA-256)',
    lock: 'Signature state',
    badges: 'Badges',
    signers: 'Signers',
    noSigners: 'This version is not signed.',
    name: 'Name',
    iin: 'IIN',
    role: 'Role',
    claimedTime: 'Claimed signing time',
    timestampTime: 'Signing time by timestamp',
    verdict: 'Verdict',
    unknown: 'unknown',
    conflict: 'Warning: another organization has also uploaded a document with this number. It may be a forgery: check the document with the organization that owns the number.',
    versionConflict: 'This version was uploaded by another organization than the one that owns the number.',
    notFoundTitle: 'Document not found',
    notFound: 'No document is registered under this number. Compare the number with the text on the paper copy; if it is right, the document was never uploaded to the portal.',
    malformedTitle: 'Invalid number',
    rateLimitedTitle: 'Too many requests',
    statusAsOf: 'Signatures were checked when the document was uploaded to the portal.',
    privacy: 'This page does not show the document\'s content, only its facts and the state of its signatures. Signers\' IINs are partly hidden.',
    test: 'NCA RK TEST certificate: no legal force.',
    language: 'Language',
  },
} satisfies Record<Language, Record<string, string>>;
type PageKey = keyof (typeof PAGE)['kk'];

const CSS = [
  'body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}',
  'main{max-width:46rem;margin:0 auto;padding:1rem}',
  'h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin-top:1.5rem}section h2{margin-top:0}h3{font-size:1.05rem;margin:0 0 .5rem}',
  'nav{text-align:right;font-size:.9rem}nav a{margin-left:.75rem;color:#0b57d0}nav a[aria-current]{font-weight:700;color:#1b1f24;text-decoration:none}',
  'dl{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.25rem 1rem;margin:.5rem 0}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}',
  'section{background:#fff;border:1px solid #d6dae0;border-radius:8px;padding:1rem;margin:.75rem 0}',
  '.ok{border-left:4px solid #1e7d32;padding-left:.75rem}.bad{border-left:4px solid #b3261e;padding-left:.75rem;color:#7a1712}',
  '.badge{display:inline-block;border:1px solid #8a94a6;border-radius:999px;padding:0 .5rem;margin:0 .25rem .25rem 0;font-size:.85rem}',
  'ol{padding-left:1.25rem}li{margin:.5rem 0}code{font-size:.9rem}footer{color:#555;font-size:.85rem;margin-top:2rem}',
].join('');

/** The Content-Security-Policy of these pages: nothing but their own inline style. */
export const VERIFY_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const t = (lang: Language, key: PageKey, vars: Record<string, string | number> = {}): string =>
  PAGE[lang][key].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
/** ISO time as `2026-11-23 10:15 UTC`: unambiguous for a reader anywhere. */
const time = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const shortHash = (h: string): string => `${h.slice(0, 12)}…${h.slice(-4)}`;

function shell(lang: Language, title: string, body: string, selfPath: string): string {
  const nav = (['kk', 'ru', 'en'] as const)
    .map((l) => `<a href="${esc(selfPath)}?lang=${l}" lang="${l}"${l === lang ? ' aria-current="page"' : ''}>${{ kk: 'Қазақша', ru: 'Русский', en: 'English' }[l]}</a>`)
    .join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${esc(title)} — Seriktes</title><style>${CSS}</style></head><body><main><nav aria-label="${esc(t(lang, 'language'))}">${nav}</nav>${body}<footer><p>${esc(t(lang, 'privacy'))}</p></footer></main></body></html>`;
}

const row = (label: string, value: string): string => `<dt>${esc(label)}</dt><dd>${value}</dd>`;

function versionHtml(lang: Language, v: VerifyVersion, n: number): string {
  const R = REPORT_TEXTS[lang];
  const org = v.organization ? `${esc(v.organization.name[lang] || v.organization.name.kk)} (${esc(t(lang, 'bin'))} ${esc(v.organization.bin)})` : esc(t(lang, 'unknown'));
  const badges = v.badges.map((b) => `<span class="badge">${esc(translate(lang, `documents.badges.${b}`))}</span>`).join('');
  const signers = v.signers.length === 0
    ? `<p>${esc(t(lang, 'noSigners'))}</p>`
    : `<ol>${v.signers.map((s) => `<li><dl>${[
      row(t(lang, 'name'), esc(s.name ?? t(lang, 'unknown'))),
      s.iinMasked ? row(t(lang, 'iin'), `<code>${esc(s.iinMasked)}</code>`) : '',
      s.organization || s.bin ? row(t(lang, 'organization'), esc([s.organization, s.bin ? `${t(lang, 'bin')} ${s.bin}` : ''].filter(Boolean).join(', '))) : '',
      s.roles.length ? row(t(lang, 'role'), esc(s.roles.map((r) => (R.roles as Record<string, string>)[r] ?? r).join(', '))) : '',
      s.timestampTime ? row(t(lang, 'timestampTime'), esc(time(s.timestampTime))) : '',
      s.claimedTime ? row(t(lang, 'claimedTime'), esc(time(s.claimedTime))) : '',
      row(t(lang, 'verdict'), esc(R.verdict[s.verdict]) + (s.test ? ` — ${esc(t(lang, 'test'))}` : '')),
      // Why a signature is not plainly valid (offline revocation, TEST root…), in words.
      s.reasons.length ? row(R.labels.reasons, esc(s.reasons.map((r) => (R.reasons as Record<string, string>)[r] ?? r).join(' '))) : '',
    ].join('')}</dl></li>`).join('')}</ol>`;
  return `<section aria-labelledby="v${n}"><h3 id="v${n}">${esc(t(lang, 'version', { n }))}</h3>${v.serialConflict ? `<p class="bad">${esc(t(lang, 'versionConflict'))}</p>` : ''}<dl>${[
    row(t(lang, 'uploadedAt'), esc(time(v.registeredAt))),
    row(t(lang, 'uploadedFor'), org),
    row(t(lang, 'pages'), v.pages === null ? esc(t(lang, 'unknown')) : String(v.pages)),
    row(t(lang, 'sha256'), `<code title="${esc(v.sha256)}">${esc(shortHash(v.sha256))}</code>`),
    row(t(lang, 'lock'), esc(translate(lang, `documents.panel.lock.${v.lock.state}`, { reasons: '' }).trim())),
    row(t(lang, 'badges'), badges),
  ].join('')}</dl><h4>${esc(t(lang, 'signers'))}</h4>${signers}</section>`;
}

export function verifyPageHtml(lang: Language, a: VerifyAnswer, selfPath: string): string {
  const org = a.organization;
  const body = `<h1>${esc(t(lang, 'title'))}</h1><p class="ok">${esc(t(lang, 'registered'))}</p>${a.conflict ? `<p class="bad" role="alert">${esc(t(lang, 'conflict'))}</p>` : ''}<dl>${[
    row(t(lang, 'serial'), `<code>${esc(a.serial)}</code>`),
    row(t(lang, 'organization'), org ? esc(org.name[lang] || org.name.kk) : esc(t(lang, 'unknown'))),
    org ? row(t(lang, 'bin'), esc(org.bin)) : '',
    row(t(lang, 'firstRegistered'), esc(time(a.firstRegisteredAt))),
  ].join('')}</dl><h2>${esc(t(lang, 'versions', { count: a.versions.length }))}</h2><p>${esc(t(lang, 'statusAsOf'))}</p>${a.versions.map((v, i) => versionHtml(lang, v, a.versions.length - i)).join('')}`;
  return shell(lang, `${t(lang, 'title')}: ${a.serial}`, body, selfPath);
}

export type ProblemKind = 'not_found' | 'malformed' | 'rate_limited';

export function problemPageHtml(lang: Language, kind: ProblemKind, typed: string, selfPath: string): string {
  const title = t(lang, kind === 'not_found' ? 'notFoundTitle' : kind === 'malformed' ? 'malformedTitle' : 'rateLimitedTitle');
  const text = kind === 'not_found' ? t(lang, 'notFound') : translate(lang, kind === 'malformed' ? 'errors.document_serial_invalid' : 'errors.rate_limited');
  const body = `<h1>${esc(t(lang, 'title'))}</h1><section><h2>${esc(title)}</h2>${typed ? `<p><code>${esc(typed.slice(0, 40))}</code></p>` : ''}<p class="bad">${esc(text)}</p></section>`;
  return shell(lang, title, body, selfPath);
}
