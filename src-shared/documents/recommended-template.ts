/**
 * The supplier document package the seed recommends (seed 002 §4, SPEC §2.5) as an AKI template:
 * the five documents (the tax-registration certificate only "if available", the power of attorney
 * only when a representative acts), plus the registry extract (≤ 30 days) and the tax-debt
 * certificate (≤ 90 days). The portal seeds a demo category with it and the CLI's
 * `check-package --category seed-002` uses it offline.
 */
import type { AkiTemplate } from '../aki/template';

export const RECOMMENDED_PACKAGE_ID = 'seed-002';

const L = (kk: string, ru: string, en: string) => ({ kk, ru, en });

/** Flags every document of the package shares: a signed PDF, PDF/A or flattened, the supplier's signature, ru/kk. */
const doc = {
  type: 'file' as const,
  accept: ['pdf' as const],
  signed: true,
  pdfA: true,
  signerMustBeSupplier: true,
  gost: true,
  declareLanguage: true,
  timestamp: false,
};

export const RECOMMENDED_PACKAGE_TEMPLATE: AkiTemplate = {
  requirements: [
    {
      type: 'heading',
      key: 'documents',
      label: L('Жеткізушінің құжаттары', 'Документы поставщика', 'Supplier documents'),
      text: L(
        'PDF/A немесе өңделмейтін PDF, ЭЦҚ-мен қол қойылған (PAdES). Құжаттар орыс немесе қазақ тілінде.',
        'PDF/A или нередактируемый PDF, подписанный ЭЦП (PAdES). Документы на русском или казахском языке.',
        'PDF/A or flattened PDF, signed with an EDS (PAdES). Documents in Russian or Kazakh.',
      ),
    },
    { ...doc, key: 'registration_certificate', required: true, label: L('Заңды тұлғаны мемлекеттік тіркеу (қайта тіркеу) туралы куәлік', 'Свидетельство (справка) о государственной регистрации (перерегистрации) юридического лица', 'Certificate of state registration (re-registration) of the legal entity') },
    { ...doc, key: 'charter', required: true, label: L('Жарғы', 'Устав', 'Charter') },
    { ...doc, key: 'tax_registration', required: false, label: L('Салықтық тіркеу туралы куәлік немесе ҚҚС бойынша тіркелмегені туралы анықтама (бар болса)', 'Свидетельство о постановке на налоговый учёт или справка о неприсоединении к НДС (при наличии)', 'Tax registration certificate or certificate of non-registration for VAT (if available)') },
    { ...doc, key: 'passport', required: true, label: L('Жүйеде құжаттарды ұсынуға уәкілетті тұлғаның жеке куәлігінің (паспортының) көшірмесі', 'Копия удостоверения личности (паспорта) лица, уполномоченного подавать документы в системе', 'Copy of the ID card (passport) of the person authorized to submit documents') },
    { ...doc, key: 'power_of_attorney', required: false, timestamp: true, label: L('Қол қою құқығына сенімхаттың көшірмесі (өкіл әрекет етсе)', 'Копия доверенности на право подписи (если действует представитель)', 'Copy of the power of attorney to sign (if a representative acts)') },
    { ...doc, key: 'registry_extract', required: true, maxAgeDays: 30, label: L('Заңды тұлғалардың мемлекеттік дерекқорынан БСН бойынша электрондық үзінді (30 күннен аспаған)', 'Электронная выписка из государственной базы данных юридических лиц по БИН (не старше 30 дней)', 'Electronic extract from the state register of legal entities by BIN (not older than 30 days)') },
    { ...doc, key: 'tax_debt_certificate', required: true, maxAgeDays: 90, label: L('Салық берешегінің жоқтығы туралы анықтама (90 күннен аспаған)', 'Справка об отсутствии налоговой задолженности (не старше 90 дней)', 'Certificate of no tax debt (not older than 90 days)') },
  ],
};
