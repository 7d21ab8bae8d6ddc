/**
 * kk/ru/en texts for verification reports and certificate facts. Reports stay
 * data (codes); this table turns codes into words for the CLI and can feed the
 * UI's i18n catalogs later. kk is the reference shape.
 */
import type { Language } from '../i18n/languages';
import type { KzRole } from './oids';
import { MODIFICATION_TEXTS } from './modification-i18n';
import type { ModificationCode, PdfModification, BaseReportProblem, ReasonCode, ReportProblem, Verdict } from './report';

type Table = {
  labels: Record<
    | 'report' | 'signature' | 'verdict' | 'signer' | 'iin' | 'bin' | 'organization' | 'roles' | 'purpose' | 'algorithm'
    | 'validFrom' | 'validTo' | 'issuer' | 'serial' | 'integrity' | 'timestamp' | 'signingTime' | 'claimedTime' | 'chain'
    | 'revocation' | 'wholeFile' | 'laterChanges' | 'reasons' | 'testTrust' | 'field' | 'validityNow' | 'validityAtSigning'
    | 'tsa' | 'yes' | 'no' | 'noSignatures' | 'pdfa' | 'formFields' | 'signatures' | 'owner' | 'expected' | 'modifications' | 'object',
    string
  >;
  verdict: Record<Verdict, string>;
  reasons: Record<ReasonCode, string>;
  /** Modification codes (report.ts MODIFICATION_CODES); reader refusal codes fall back to `reasons`. */
  modifications: Record<ModificationCode, string>;
  problems: Record<BaseReportProblem, string>;
  roles: Record<KzRole, string>;
  purpose: Record<'SIGN' | 'AUTH' | 'UNKNOWN', string>;
  algorithm: Record<'RSA' | 'GOST_34_310_2004' | 'GOST_34_10_2015' | 'ECDSA' | 'UNKNOWN', string>;
  status: Record<string, string>;
};

const kk: Table = {
  labels: {
    report: 'Қолтаңбаны тексеру есебі', signature: 'Қолтаңба', verdict: 'Қорытынды', signer: 'Қол қоюшы', iin: 'ЖСН', bin: 'БСН',
    organization: 'Ұйым', roles: 'Рөлі', purpose: 'Кілт түрі', algorithm: 'Алгоритм', validFrom: 'Жарамды (бастап)', validTo: 'Жарамды (дейін)',
    issuer: 'Берген КО', serial: 'Сериялық нөмір', integrity: 'Тұтастық', timestamp: 'Уақыт белгісі', signingTime: 'Қол қою уақыты (уақыт белгісімен дәлелденген)',
    claimedTime: 'Мәлімделген қол қою уақыты (дәлелденбеген)', chain: 'Сертификаттар тізбегі', revocation: 'Кері қайтарып алу', wholeFile: 'Соңғы қолтаңба бүкіл файлды қамтиды',
    laterChanges: 'Кейінгі өзгерістер', reasons: 'Себептер', testTrust: 'НАЗАР АУДАРЫҢЫЗ: ҰКО ТЕСТ түбірлеріне сенім білдірілді (TEST)', field: 'Өріс',
    validityNow: 'Қазір жарамдылығы', validityAtSigning: 'Қол қою сәтіндегі жарамдылығы', tsa: 'Уақыт белгісі қызметі', yes: 'иә', no: 'жоқ',
    noSignatures: 'Қолтаңбалар табылмады', pdfa: 'PDF/A мәлімдемесі', formFields: 'Форма өрістері', signatures: 'Қолтаңбалар', owner: 'Иесі', expected: 'Күтілген', modifications: 'Өзгерістер', object: 'нысан',
  },
  verdict: { valid: 'ЖАРАМДЫ', invalid: 'ЖАРАМСЫЗ', indeterminate: 'АНЫҚТАЛМАҒАН' },
  reasons: {
    digest_mismatch: 'Құжат қол қойылғаннан кейін өзгертілген (хэш сәйкес емес).',
    signature_invalid: 'Қолтаңба мәні дұрыс емес.',
    signer_certificate_missing: 'Қол қоюшының сертификаты жоқ.',
    signing_certificate_mismatch: 'signingCertificateV2 атрибуты басқа сертификатқа сілтейді.',
    chain_signature_invalid: 'Тізбектегі сертификаттың қолтаңбасы дұрыс емес.',
    cert_not_valid_at_signing: 'Қол қою сәтінде сертификат жарамсыз болды.',
    revoked_before_signing: 'Сертификат қол қоюдан бұрын кері қайтарылған.',
    auth_key_used_for_signing: 'Қол қою үшін аутентификация (AUTH) кілті қолданылған.',
    iin_mismatch: 'ЖСН күтілгенмен сәйкес келмейді.',
    bin_mismatch: 'БСН күтілгенмен сәйкес келмейді.',
    timestamp_invalid: 'Уақыт белгісі жарамсыз.',
    pdf_signature_not_readable: 'PDF қолтаңбасын оқу мүмкін емес.',
    certification_forbids_changes: 'Куәландыру қолтаңбасы кейінгі өзгерістерге тыйым салады.',
    unsupported_algorithm: 'Алгоритмге қолдау көрсетілмейді.',
    chain_untrusted: 'Сертификат сенімді түбірге дейін жетпейді.',
    chain_algorithm_unsupported: 'Тізбек алгоритміне қолдау көрсетілмейді.',
    cert_expired_no_timestamp: 'Сертификаттың мерзімі өткен, ал уақыт белгісі жоқ.',
    revocation_not_checked: 'Кері қайтарып алу тексерілмеді (желісіз).',
    revocation_unknown: 'Кері қайтарып алу мәртебесі белгісіз.',
    timestamp_untrusted: 'Уақыт белгісі қызметіне сенім жоқ.',
    not_signing_key: 'Кілт қол қоюға арналмаған.',
    pdf_not_whole_file: 'Қолтаңба бүкіл файлды қамтымайды.',
    pdf_changed_after_signing: 'Қол қойылғаннан кейін құжат мазмұны өзгертілген.',
    field_lock_violated: 'Қолтаңба бұғаттаған өріс (FieldMDP) кейін өзгертілген.',
    pdf_byte_range_invalid: 'Қолтаңбаның /ByteRange ауқымы дұрыс емес.',
    pdf_byte_range_not_revision_end: 'Қолтаңба құжат нұсқасының соңына дейін жетпейді.',
    pdf_byte_range_not_contents: 'Қолтаңба ауқымындағы саңылау оның /Contents жолы емес.',
    signature_contents_altered: 'Қолтаңбаның /Contents жолы CMS-тен тыс өзгертілген (мысалы, толтыру).',
    pdf_invalid: 'PDF құрылымын оқу мүмкін емес.',
    pdf_truncated: 'PDF файлы толық емес (қиылған).',
    pdf_encrypted: 'PDF шифрланған.',
    pdf_inflate_limit: 'PDF ағындары рұқсат етілген көлемнен асып ашылады.',
    pdf_too_many_objects: 'PDF-те нысандар тым көп.',
    pdf_nesting_too_deep: 'PDF нысандарының кірістірілуі тым терең.',
    pdf_object_stream_too_large: 'PDF нысандар ағыны тым үлкен.',
    pdf_too_many_revisions: 'PDF нұсқалары тым көп немесе тізбек тұйықталған.',
    pdf_unsupported_filter: 'PDF ағынының сүзгісіне қолдау көрсетілмейді.',
  },
  modifications: MODIFICATION_TEXTS.kk,

  roles: {
    individual: 'жеке тұлға', legal_entity: 'заңды тұлға', first_head: 'бірінші басшы', signing_right: 'қол қою құқығы бар тұлға',
    financial_signing_right: 'қаржылық құжаттарға қол қою құқығы', hr: 'кадр қызметі', employee: 'қызметкер', nca_admin: 'ҰКО әкімшісі',
    nca_manager: 'ҰКО менеджері', nca_operator: 'ҰКО операторы', identified_in_person: 'жеке сәйкестендірілген',
    identified_remotely: 'қашықтан сәйкестендірілген', identified_digital_id: 'Digital ID арқылы сәйкестендірілген',
  },
  purpose: { SIGN: 'қол қою (SIGN)', AUTH: 'аутентификация (AUTH)', UNKNOWN: 'белгісіз' },
  algorithm: { RSA: 'RSA', GOST_34_310_2004: 'ГОСТ 34.310-2004', GOST_34_10_2015: 'ГОСТ 34.10-2015', ECDSA: 'ECDSA', UNKNOWN: 'белгісіз' },
  problems: {
    no_signatures: 'Қолтаңбалар табылмады.',
    cms_unreadable: 'Қолтаңба файлын (CMS) оқу мүмкін емес: ол бүлінген немесе қолтаңба емес.',
    pdf_not_whole_file: 'Соңғы қолтаңба бүкіл файлды қамтымайды.',
  },
  status: {
    ok: 'дұрыс', digest_mismatch: 'хэш сәйкес емес', signature_invalid: 'қолтаңба дұрыс емес', signer_certificate_missing: 'сертификат жоқ',
    unsupported_algorithm: 'қолдау жоқ', trusted: 'сенімді', untrusted: 'сенімсіз', invalid: 'жарамсыз', valid: 'жарамды', good: 'кері қайтарылмаған',
    revoked: 'кері қайтарылған', revoked_after_signing: 'қол қойылғаннан кейін кері қайтарылған', unknown: 'белгісіз', not_checked: 'тексерілмеді',
    expired: 'мерзімі өткен', not_yet_valid: 'әлі жарамсыз', none: 'жоқ', signatures_only: 'тек кейінгі қолтаңбалар', other_changes: 'басқа өзгерістер',
  },
};

const ru: Table = {
  labels: {
    report: 'Отчёт о проверке подписи', signature: 'Подпись', verdict: 'Итог', signer: 'Подписант', iin: 'ИИН', bin: 'БИН', organization: 'Организация',
    roles: 'Роль', purpose: 'Тип ключа', algorithm: 'Алгоритм', validFrom: 'Действителен с', validTo: 'Действителен по', issuer: 'Издатель',
    serial: 'Серийный номер', integrity: 'Целостность', timestamp: 'Метка времени', signingTime: 'Время подписи (подтверждено меткой времени)',
    claimedTime: 'Заявленное время подписи (не подтверждено)', chain: 'Цепочка сертификатов', revocation: 'Отзыв', wholeFile: 'Последняя подпись покрывает весь файл',
    laterChanges: 'Последующие изменения', reasons: 'Причины', testTrust: 'ВНИМАНИЕ: доверие ТЕСТОВЫМ корням НУЦ РК (TEST)', field: 'Поле',
    validityNow: 'Действительность сейчас', validityAtSigning: 'Действительность на момент подписи', tsa: 'Служба меток времени', yes: 'да', no: 'нет',
    noSignatures: 'Подписи не найдены', pdfa: 'Заявлен PDF/A', formFields: 'Поля формы', signatures: 'Подписи', owner: 'Владелец', expected: 'Ожидалось', modifications: 'Изменения', object: 'объект',
  },
  verdict: { valid: 'ДЕЙСТВИТЕЛЬНА', invalid: 'НЕДЕЙСТВИТЕЛЬНА', indeterminate: 'НЕ ОПРЕДЕЛЕНО' },
  reasons: {
    digest_mismatch: 'Документ изменён после подписания (хэш не совпадает).',
    signature_invalid: 'Значение подписи неверно.',
    signer_certificate_missing: 'Нет сертификата подписанта.',
    signing_certificate_mismatch: 'Атрибут signingCertificateV2 указывает на другой сертификат.',
    chain_signature_invalid: 'Неверная подпись сертификата в цепочке.',
    cert_not_valid_at_signing: 'Сертификат не действовал на момент подписи.',
    revoked_before_signing: 'Сертификат отозван до подписания.',
    auth_key_used_for_signing: 'Для подписи использован ключ аутентификации (AUTH).',
    iin_mismatch: 'ИИН не совпадает с ожидаемым.',
    bin_mismatch: 'БИН не совпадает с ожидаемым.',
    timestamp_invalid: 'Метка времени недействительна.',
    pdf_signature_not_readable: 'Подпись в PDF не читается.',
    certification_forbids_changes: 'Удостоверяющая подпись запрещает последующие изменения.',
    unsupported_algorithm: 'Алгоритм не поддерживается.',
    chain_untrusted: 'Сертификат не ведёт к доверенному корню.',
    chain_algorithm_unsupported: 'Алгоритм цепочки не поддерживается.',
    cert_expired_no_timestamp: 'Срок сертификата истёк, а метки времени нет.',
    revocation_not_checked: 'Отзыв не проверен (нет сети).',
    revocation_unknown: 'Статус отзыва неизвестен.',
    timestamp_untrusted: 'Служба меток времени не доверенная.',
    not_signing_key: 'Ключ не предназначен для подписи.',
    pdf_not_whole_file: 'Подпись покрывает не весь файл.',
    pdf_changed_after_signing: 'Содержимое изменено после подписания.',
    field_lock_violated: 'Поле, заблокированное подписью (FieldMDP), изменено.',
    pdf_byte_range_invalid: 'Диапазон /ByteRange подписи неверен.',
    pdf_byte_range_not_revision_end: 'Подпись не доходит до конца редакции документа.',
    pdf_byte_range_not_contents: 'Промежуток в диапазоне подписи — не её строка /Contents.',
    signature_contents_altered: 'Строка /Contents подписи изменена сверх CMS (например, заполнение).',
    pdf_invalid: 'Структуру PDF прочитать невозможно.',
    pdf_truncated: 'PDF-файл обрезан.',
    pdf_encrypted: 'PDF зашифрован.',
    pdf_inflate_limit: 'Потоки PDF распаковываются сверх допустимого объёма.',
    pdf_too_many_objects: 'В PDF слишком много объектов.',
    pdf_nesting_too_deep: 'Слишком глубокая вложенность объектов PDF.',
    pdf_object_stream_too_large: 'Поток объектов PDF слишком велик.',
    pdf_too_many_revisions: 'Слишком много редакций PDF или цепочка зациклена.',
    pdf_unsupported_filter: 'Фильтр потока PDF не поддерживается.',
  },
  modifications: MODIFICATION_TEXTS.ru,

  roles: {
    individual: 'физическое лицо', legal_entity: 'юридическое лицо', first_head: 'первый руководитель', signing_right: 'лицо с правом подписи',
    financial_signing_right: 'право подписи финансовых документов', hr: 'кадровая служба', employee: 'сотрудник', nca_admin: 'администратор НУЦ',
    nca_manager: 'менеджер НУЦ', nca_operator: 'оператор НУЦ', identified_in_person: 'идентифицирован лично', identified_remotely: 'идентифицирован удалённо',
    identified_digital_id: 'идентифицирован через Digital ID',
  },
  purpose: { SIGN: 'подпись (SIGN)', AUTH: 'аутентификация (AUTH)', UNKNOWN: 'неизвестно' },
  algorithm: { RSA: 'RSA', GOST_34_310_2004: 'ГОСТ 34.310-2004', GOST_34_10_2015: 'ГОСТ 34.10-2015', ECDSA: 'ECDSA', UNKNOWN: 'неизвестно' },
  problems: {
    no_signatures: 'Подписи не найдены.',
    cms_unreadable: 'Файл подписи (CMS) не читается: он повреждён или не является подписью.',
    pdf_not_whole_file: 'Последняя подпись охватывает не весь файл.',
  },
  status: {
    ok: 'верна', digest_mismatch: 'хэш не совпадает', signature_invalid: 'подпись неверна', signer_certificate_missing: 'нет сертификата',
    unsupported_algorithm: 'не поддерживается', trusted: 'доверенная', untrusted: 'недоверенная', invalid: 'недействительна', valid: 'действительна',
    good: 'не отозван', revoked: 'отозван', revoked_after_signing: 'отозван после подписания', unknown: 'неизвестно', not_checked: 'не проверено',
    expired: 'истёк', not_yet_valid: 'ещё не действует', none: 'нет', signatures_only: 'только последующие подписи', other_changes: 'другие изменения',
  },
};

const en: Table = {
  labels: {
    report: 'Signature verification report', signature: 'Signature', verdict: 'Verdict', signer: 'Signer', iin: 'IIN', bin: 'BIN', organization: 'Organization',
    roles: 'Role', purpose: 'Key type', algorithm: 'Algorithm', validFrom: 'Valid from', validTo: 'Valid to', issuer: 'Issuer', serial: 'Serial number',
    integrity: 'Integrity', timestamp: 'Timestamp', signingTime: 'Signing time (proven by timestamp)', claimedTime: 'Claimed signing time (not proven)',
    chain: 'Certificate chain', revocation: 'Revocation', wholeFile: 'Last signature covers the whole file', laterChanges: 'Later changes', reasons: 'Reasons',
    testTrust: 'WARNING: NCA RK TEST roots were trusted (TEST)', field: 'Field', validityNow: 'Validity now', validityAtSigning: 'Validity at signing time',
    tsa: 'Timestamp authority', yes: 'yes', no: 'no', noSignatures: 'No signatures found', pdfa: 'PDF/A claim', formFields: 'Form fields',
    signatures: 'Signatures', owner: 'Owner', expected: 'Expected', modifications: 'Modifications', object: 'object',
  },
  verdict: { valid: 'VALID', invalid: 'INVALID', indeterminate: 'INDETERMINATE' },
  reasons: {
    digest_mismatch: 'The document was changed after signing (digest mismatch).',
    signature_invalid: 'The signature value is wrong.',
    signer_certificate_missing: 'The signer certificate is missing.',
    signing_certificate_mismatch: 'The signingCertificateV2 attribute names another certificate.',
    chain_signature_invalid: 'A certificate in the chain has a bad signature.',
    cert_not_valid_at_signing: 'The certificate was not valid at signing time.',
    revoked_before_signing: 'The certificate was revoked before signing.',
    auth_key_used_for_signing: 'An authentication (AUTH) key was used to sign.',
    iin_mismatch: 'The IIN is not the expected one.',
    bin_mismatch: 'The BIN is not the expected one.',
    timestamp_invalid: 'The timestamp is invalid.',
    pdf_signature_not_readable: 'The PDF signature cannot be read.',
    certification_forbids_changes: 'A certification signature forbids later changes.',
    unsupported_algorithm: 'The algorithm is not supported.',
    chain_untrusted: 'The certificate does not lead to a trusted root.',
    chain_algorithm_unsupported: 'A chain algorithm is not supported.',
    cert_expired_no_timestamp: 'The certificate has expired and there is no timestamp.',
    revocation_not_checked: 'Revocation was not checked (offline).',
    revocation_unknown: 'Revocation status is unknown.',
    timestamp_untrusted: 'The timestamp authority is not trusted.',
    not_signing_key: 'The key is not meant for signing.',
    pdf_not_whole_file: 'The signature does not cover the whole file.',
    pdf_changed_after_signing: 'The content was changed after signing.',
    field_lock_violated: 'A field locked by the signature (FieldMDP) was changed.',
    pdf_byte_range_invalid: 'The signature /ByteRange is invalid.',
    pdf_byte_range_not_revision_end: 'The signature does not reach the end of a document revision.',
    pdf_byte_range_not_contents: 'The gap in the signed range is not the signature /Contents string.',
    signature_contents_altered: 'The signature /Contents was changed beyond the CMS (e.g. its padding).',
    pdf_invalid: 'The PDF structure cannot be read.',
    pdf_truncated: 'The PDF file is truncated.',
    pdf_encrypted: 'The PDF is encrypted.',
    pdf_inflate_limit: 'PDF streams inflate beyond the allowed size.',
    pdf_too_many_objects: 'The PDF has too many objects.',
    pdf_nesting_too_deep: 'PDF objects are nested too deeply.',
    pdf_object_stream_too_large: 'A PDF object stream is too large.',
    pdf_too_many_revisions: 'The PDF has too many revisions, or its revision chain loops.',
    pdf_unsupported_filter: 'A PDF stream filter is not supported.',
  },
  modifications: MODIFICATION_TEXTS.en,

  roles: {
    individual: 'individual', legal_entity: 'legal entity', first_head: 'first head', signing_right: 'person with signing right',
    financial_signing_right: 'signing right for financial documents', hr: 'HR', employee: 'employee', nca_admin: 'NCA administrator',
    nca_manager: 'NCA manager', nca_operator: 'NCA operator', identified_in_person: 'identified in person', identified_remotely: 'identified remotely',
    identified_digital_id: 'identified via Digital ID',
  },
  purpose: { SIGN: 'signing (SIGN)', AUTH: 'authentication (AUTH)', UNKNOWN: 'unknown' },
  algorithm: { RSA: 'RSA', GOST_34_310_2004: 'GOST 34.310-2004', GOST_34_10_2015: 'GOST 34.10-2015', ECDSA: 'ECDSA', UNKNOWN: 'unknown' },
  problems: {
    no_signatures: 'No signatures found.',
    cms_unreadable: 'The signature (CMS) cannot be read: it is damaged or not a signature.',
    pdf_not_whole_file: 'The last signature does not cover the whole file.',
  },
  status: {
    ok: 'ok', digest_mismatch: 'digest mismatch', signature_invalid: 'bad signature', signer_certificate_missing: 'certificate missing',
    unsupported_algorithm: 'unsupported', trusted: 'trusted', untrusted: 'untrusted', invalid: 'invalid', valid: 'valid', good: 'not revoked',
    revoked: 'revoked', revoked_after_signing: 'revoked after signing', unknown: 'unknown', not_checked: 'not checked', expired: 'expired',
    not_yet_valid: 'not yet valid', none: 'none', signatures_only: 'only later signatures', other_changes: 'other changes',
  },
};

export const REPORT_TEXTS: Record<Language, Table> = { kk, ru, en };
export type ReportTexts = Table;

/** One modification in words: "page content changed (object 12)", "document catalog changed /OpenAction (object 1)". */
export function modificationText(t: Table, m: PdfModification): string {
  const text = (t.modifications as Record<string, string>)[m.code] ?? (t.reasons as Record<string, string>)[m.code] ?? m.code;
  return `${text}${m.key ? ` /${m.key}` : ''}${m.object !== undefined ? ` (${t.labels.object} ${m.object})` : ''}`;
}

/** A report problem in words: the base problems have their own texts, the reader's refusals share the reasons' texts. */
export function problemText(t: Table, p: ReportProblem | string): string {
  return (t.problems as Record<string, string>)[p] ?? (t.reasons as Record<string, string>)[p] ?? p;
}
