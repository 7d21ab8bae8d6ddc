/**
 * Renders a notification or e-mail in the reader's language from the catalogs: the portal for
 * e-mails, the app for its notifications screen and desktop notifications — the same words.
 */
import { translate, isLanguage, type Language } from '../i18n';
import { isRole } from '../accounts/roles';

export const MESSAGE_KINDS = ['employeeAdded', 'rolesChanged', 'passwordChanged', 'reminder', 'accountCreated', 'akiSubmitted', 'akiReturned', 'akiApproved', 'akiRejected', 'competitionStatus'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export type MessageVars = Record<string, string | number>;

function localise(lang: Language, vars: MessageVars): MessageVars {
  const out: MessageVars = { ...vars };
  // `x_ru` / `x_en` variants (e.g. an organization's name) replace `x` for readers of that language.
  for (const [k, v] of Object.entries(vars)) {
    const m = /^(.+)_(kk|ru|en)$/.exec(k);
    if (m && m[2] === lang) out[m[1]!] = v;
  }
  // Organization names often carry their own quotes («Qazaq Infra» ЖШС); quote only the ones that do not.
  if (typeof out.organization === 'string' && !/[«»"“”„]/.test(out.organization)) out.organization = `«${out.organization}»`;
  // Role codes are stored, not labels, so each recipient reads them in their own language.
  if (typeof vars.roles === 'string') {
    out.roles = vars.roles
      .split(',')
      .filter(isRole)
      .map((r) => translate(lang, `email.roleNames.${r}`))
      .join(', ');
  }
  // A competition's status is stored as its code (competitionStatus): each reader gets the label of their language.
  if (typeof vars.status === 'string' && /^[a-z_]+$/.test(vars.status)) out.status = translate(lang, `competition.status.${vars.status}`);
  return out;
}

export function renderMessage(language: string, kind: string, vars: MessageVars): { subject: string; body: string; footer: string } {
  const lang: Language = isLanguage(language) ? language : 'kk';
  const v = localise(lang, vars);
  return {
    subject: translate(lang, `email.${kind}.subject`, v),
    body: translate(lang, `email.${kind}.body`, v),
    footer: translate(lang, 'email.footer'),
  };
}
