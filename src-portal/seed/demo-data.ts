/** The demo world: documented in src-portal/DEMO_ACCOUNTS.md (keep both in step). */
import type { OrganizationKind, Role } from '../../src-shared/accounts/roles';
import type { RequirementTemplate } from '../../src-shared/reference/requirements';
import { RECOMMENDED_PACKAGE_TEMPLATE } from '../../src-shared/documents/recommended-template';

export const DEMO_PASSWORD = 'Seriktes-demo-2026';

export interface DemoOrg {
  key: string;
  binPrefix: string;
  kind: OrganizationKind;
  name: { kk: string; ru: string; en: string };
}
export interface DemoUser {
  key: string;
  iinPrefix: string;
  fullName: string;
  email: string;
  language: 'kk' | 'ru' | 'en';
  memberships: { org: string; roles: Role[] }[];
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'state', binPrefix: '12064000011', kind: 'state_partner', name: { kk: 'Алматы қаласының Энергетика басқармасы', ru: 'Управление энергетики города Алматы', en: 'Almaty City Energy Department' } },
  { key: 'organizer', binPrefix: '13054000022', kind: 'organizer', name: { kk: 'Алматы қаласының Инвестициялар басқармасы', ru: 'Управление инвестиций города Алматы', en: 'Almaty City Investment Department' } },
  { key: 'private1', binPrefix: '18104000033', kind: 'private_partner', name: { kk: '«Жасыл Энергия Серіктестері» ЖШС', ru: 'ТОО «Green Energy Partners»', en: 'Green Energy Partners LLP' } },
  { key: 'private2', binPrefix: '19024000044', kind: 'private_partner', name: { kk: '«Qazaq Infra» ЖШС', ru: 'ТОО «Qazaq Infra»', en: 'Qazaq Infra LLP' } },
  { key: 'customer', binPrefix: '95124000055', kind: 'customer', name: { kk: '«Qarmet» АҚ', ru: 'АО «Qarmet»', en: 'Qarmet JSC' } },
  { key: 'supplier1', binPrefix: '16034000066', kind: 'supplier', name: { kk: '«Дала Жабдықтау» ЖШС', ru: 'ТОО «Дала Снабжение»', en: 'Dala Supply LLP' } },
  { key: 'supplier2', binPrefix: '17084000077', kind: 'supplier', name: { kk: '«Металл Сервис Караганда» ЖШС', ru: 'ТОО «Металл Сервис Караганда»', en: 'Metal Service Karaganda LLP' } },
];

export const DEMO_USERS: DemoUser[] = [
  { key: 'stateHead', iinPrefix: '75031230001', fullName: 'Асқаров Ерлан Болатұлы', email: 'state.head@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'state', roles: ['head'] }] },
  { key: 'orgHead', iinPrefix: '80052140002', fullName: 'Нұрланова Айгүл Серікқызы', email: 'organizer.head@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'organizer', roles: ['head'] }] },
  { key: 'organizer', iinPrefix: '88071530003', fullName: 'Серіков Данияр Маратұлы', email: 'organizer@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'organizer', roles: ['organizer'] }] },
  { key: 'secretary', iinPrefix: '92110240004', fullName: 'Иванова Мария Петровна', email: 'secretary@demo.seriktes.kz', language: 'ru', memberships: [{ org: 'organizer', roles: ['secretary'] }] },
  { key: 'private1Head', iinPrefix: '79090930005', fullName: 'Жұмабаев Нұржан Асқарұлы', email: 'green.head@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'private1', roles: ['head'] }] },
  { key: 'private2Head', iinPrefix: '83122640006', fullName: 'Smith John', email: 'infra.head@demo.seriktes.kz', language: 'en', memberships: [{ org: 'private2', roles: ['head'] }] },
  { key: 'customerHead', iinPrefix: '70041830007', fullName: 'Ким Виктор Андреевич', email: 'qarmet.head@demo.seriktes.kz', language: 'ru', memberships: [{ org: 'customer', roles: ['head'] }] },
  { key: 'customer', iinPrefix: '86060640008', fullName: 'Бекова Салтанат Ерланқызы', email: 'customer@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'customer', roles: ['customer'] }] },
  { key: 'supplier1Head', iinPrefix: '77021330009', fullName: 'Омаров Бауыржан Қайратұлы', email: 'dala.head@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'supplier1', roles: ['head', 'supplier'] }] },
  { key: 'supplier', iinPrefix: '90080840010', fullName: 'Петров Алексей Игоревич', email: 'supplier@demo.seriktes.kz', language: 'ru', memberships: [{ org: 'supplier1', roles: ['supplier'] }] },
  { key: 'supplier2Head', iinPrefix: '81101030011', fullName: 'Тоқтаров Әлібек Нұрланұлы', email: 'metal.head@demo.seriktes.kz', language: 'kk', memberships: [{ org: 'supplier2', roles: ['head', 'supplier'] }] },
];

export const DEMO_METHODS = [
  { code: 'direct_negotiations', name: { kk: 'Тікелей келіссөздер', ru: 'Прямые переговоры', en: 'Direct negotiations' }, minDiscussionDays: 15 },
  { code: 'open_tender', name: { kk: 'Конкурс', ru: 'Конкурс', en: 'Open tender' }, minDiscussionDays: 30 },
];

const L = (kk: string, ru: string, en: string) => ({ kk, ru, en });

/** One template using all six requirement types. */
export const DEMO_TEMPLATE: RequirementTemplate = {
  requirements: [
    { type: 'heading', key: 'general', label: L('Жалпы мәліметтер', 'Общие сведения', 'General information') },
    { type: 'file', key: 'registration_certificate', label: L('Мемлекеттік тіркеу туралы куәлік', 'Свидетельство о государственной регистрации', 'Certificate of state registration'), required: true, accept: ['pdf'], signed: false },
    { type: 'select', key: 'vat_payer', label: L('ҚҚС төлеушісіз бе?', 'Являетесь ли плательщиком НДС?', 'Are you a VAT payer?'), required: true, multiple: false, options: [{ value: 'yes', label: L('Иә', 'Да', 'Yes') }, { value: 'no', label: L('Жоқ', 'Нет', 'No') }] },
    { type: 'number', key: 'employees', label: L('Қызметкерлер саны', 'Количество сотрудников', 'Number of employees'), required: true, min: 1, unit: 'адам' },
    { type: 'text', key: 'experience', label: L('Ұқсас жеткізілімдер тәжірибесі', 'Опыт аналогичных поставок', 'Experience with similar supplies'), required: false, maxLength: 1000 },
    { type: 'date', key: 'license_valid_until', label: L('Лицензияның қолданылу мерзімі', 'Срок действия лицензии', 'Licence valid until'), required: true },
  ],
};

export const DEMO_AKI = [
  {
    code: 'metal_products', name: L('Металл өнімдері', 'Металлопродукция', 'Metal products'),
    categories: [
      { code: 'rolled_steel', name: L('Илемделген болат', 'Стальной прокат', 'Rolled steel') },
      { code: 'pipes', name: L('Құбырлар', 'Трубы', 'Pipes') },
    ],
  },
  {
    code: 'services', name: L('Қызметтер', 'Услуги', 'Services'),
    categories: [
      { code: 'equipment_repair', name: L('Жабдықты жөндеу', 'Ремонт оборудования', 'Equipment repair') },
      { code: 'transport', name: L('Көлік қызметтері', 'Транспортные услуги', 'Transport services') },
      // Issue 9: the seed's supplier document package (signed PDF/A, freshness, language) as a category.
      { code: 'supplier_documents', name: L('Жеткізуші құжаттары', 'Документы поставщика', 'Supplier documents'), template: RECOMMENDED_PACKAGE_TEMPLATE },
    ],
  },
];
