/**
 * Texts stamped into the PDF next to the QR code, in the language of the document / UI. Kept here
 * rather than in the UI catalogs: they end up inside files, never on screen, and the back end has no
 * i18next instance of its own.
 */
import type { Language } from '../../../src-shared/i18n/languages';

export const STAMP_TEXTS: Record<Language, { serial: string; verifyPortal: string; verifyEgov: string }> = {
  kk: { serial: 'Құжаттың сериялық нөмірі', verifyPortal: 'Түпнұсқалығын тексеру', verifyEgov: 'Ұйымды мемлекеттік тізілімнен тексеру' },
  ru: { serial: 'Серийный номер документа', verifyPortal: 'Проверка подлинности', verifyEgov: 'Проверка организации в госреестре' },
  en: { serial: 'Document serial number', verifyPortal: 'Verify authenticity at', verifyEgov: 'Check the organization in the state registry' },
};

/**
 * Notes returned to the caller as codes (`documents.stamp` → `notes`); these are their texts for
 * the CLI (the UI may translate the codes itself).
 */
export const STAMP_NOTE_CODES = ['transparency_pdfa2b', 'pdfa1_claim_broken', 'stamp_may_cover_content', 'identifier_replaced', 'xmp_unreadable', 'restamped'] as const;
export type StampNote = (typeof STAMP_NOTE_CODES)[number];

export const STAMP_NOTES: Record<Language, Record<StampNote, string>> = {
  kk: {
    transparency_pdfa2b: 'Су белгісі мөлдірлікті қолданады: файл ең жақсы жағдайда PDF/A-2b бола алады (PDF/A-1 емес).',
    pdfa1_claim_broken: 'Файл PDF/A-1 деп мәлімдеген, ал ол мөлдірлікке тыйым салады: бұл мәлімдеме енді дұрыс емес.',
    stamp_may_cover_content: 'Беттің бос бұрышы табылмады: QR-код пен штрихкод бірінші беттің мазмұнын жабуы мүмкін.',
    identifier_replaced: 'XMP dc:identifier өрісінде басқа идентификатор болған, оны сериялық нөмір алмастырды.',
    xmp_unreadable: 'XMP метадеректерін өзгерту мүмкін болмады; сериялық нөмір тек Info сөздігінде.',
    restamped: 'Құжатта сериялық нөмір бұрыннан болған; ол барлық жерде ауыстырылды.',
  },
  ru: {
    transparency_pdfa2b: 'Водяной знак использует прозрачность: файл может быть в лучшем случае PDF/A-2b (не PDF/A-1).',
    pdfa1_claim_broken: 'Файл заявлял PDF/A-1, где прозрачность запрещена: это заявление больше не верно.',
    stamp_may_cover_content: 'Свободного угла страницы не нашлось: QR-код и штрихкод могут закрыть часть первой страницы.',
    identifier_replaced: 'В XMP dc:identifier был другой идентификатор; его заменил серийный номер.',
    xmp_unreadable: 'Метаданные XMP изменить не удалось; серийный номер записан только в словарь Info.',
    restamped: 'У документа уже был серийный номер; он заменён везде.',
  },
  en: {
    transparency_pdfa2b: 'The watermark uses transparency: the file can be PDF/A-2b at best (not PDF/A-1).',
    pdfa1_claim_broken: 'The file claimed PDF/A-1, which forbids transparency: that claim no longer holds.',
    stamp_may_cover_content: 'No page corner is free of content: the QR code and barcode may cover part of the first page.',
    identifier_replaced: 'The XMP dc:identifier held another identifier, which the serial replaced.',
    xmp_unreadable: 'The XMP metadata could not be edited; the serial is in the Info dictionary only.',
    restamped: 'The document carried a serial already; it was replaced everywhere.',
  },
};

/** Labels of the CLI's `stamp` output. */
export const STAMP_CLI_LABELS: Record<Language, { serial: string; file: string; qr: string; notes: string }> = {
  kk: { serial: 'Сериялық нөмір', file: 'Файл', qr: 'QR-код', notes: 'Ескертпелер' },
  ru: { serial: 'Серийный номер', file: 'Файл', qr: 'QR-код', notes: 'Примечания' },
  en: { serial: 'Serial', file: 'File', qr: 'QR code', notes: 'Notes' },
};
