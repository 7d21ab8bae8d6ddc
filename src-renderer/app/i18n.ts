import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, DEFAULT_LANGUAGE, type Language } from '../../src-shared/i18n';

/** Keys the UI asked for that no catalog has; end-to-end tests assert this stays empty. */
export const missingKeys: string[] = [];
(window as unknown as { __seriktesMissingKeys: string[] }).__seriktesMissingKeys = missingKeys;

export async function initI18n(language: Language = DEFAULT_LANGUAGE) {
  await i18next.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(catalogs).map(([lng, c]) => [lng, { translation: c }])),
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => {
      missingKeys.push(key);
    },
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function changeLanguage(language: Language) {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
