/** Helpers shared by the AKI screens: localized names, requirement hints, issues → field messages, the hash parameters. */
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import type { Language } from '../../../src-shared/i18n';
import type { AuthStatus } from '../../../src-shared/accounts/rpc';
import type { AkiRequirement } from '../../../src-shared/aki/template';
import { isPdfOnly } from '../../../src-shared/aki/template';
import type { FieldIssue } from '../../../src-shared/aki/answers';

export type Names = { kk: string; ru: string; en: string };
export const pick = (n: Names | null | undefined, lang: string): string => (n ? n[lang as Language] || n.ru || n.kk : '');

export const isSupplier = (auth: AuthStatus | null): boolean => (auth?.user?.memberships ?? []).some((m) => m.roles.includes('supplier'));
export const isCustomer = (auth: AuthStatus | null): boolean => (auth?.user?.memberships ?? []).some((m) => m.roles.includes('customer'));

export const go = (path: string) => {
  window.location.hash = `#/${path}`;
};

export function useHashParams(): string[] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const f = () => setHash(window.location.hash);
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').slice(1).map(decodeURIComponent);
}

/** Per-field messages from the shared rules' issues (local or the portal's `validation_failed` details). */
export function issueMessages(t: TFunction, issues: readonly FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) if (!out[i.field]) out[i.field] = t(`aki.rules.${i.code}`, { ...(i.params ?? {}) });
  return out;
}
export const issuesFrom = (err: unknown): FieldIssue[] => {
  const d = (err as { details?: { issues?: unknown } })?.details;
  const list = Array.isArray(d?.issues) ? (d.issues as Partial<FieldIssue>[]) : [];
  return list.filter((i): i is FieldIssue => typeof i.field === 'string' && typeof i.code === 'string');
};

/** What the customer set for a requirement, in words (limits and the file flags the signing features read). */
export function requirementHints(t: TFunction, r: AkiRequirement): string[] {
  const out: string[] = [];
  switch (r.type) {
    case 'file':
      if (isPdfOnly(r)) out.push(t('aki.flags.pdfOnly'));
      else out.push(t('aki.flags.accept', { kinds: r.accept.map((k) => t(`aki.fileKinds.${k}`)).join(', ') }));
      if (r.maxSizeBytes) out.push(t('aki.flags.maxSize', { mb: Math.round((r.maxSizeBytes / 1048576) * 10) / 10 }));
      if (r.signed) out.push(t('aki.flags.signed'));
      if (r.pdfA) out.push(t('aki.flags.pdfA'));
      if (r.maxAgeDays) out.push(t('aki.flags.maxAgeDays', { days: r.maxAgeDays }));
      if (r.signerMustBeSupplier) out.push(t('aki.flags.signerMustBeSupplier'));
      if (r.timestamp) out.push(t('documents.flags.timestamp'));
      if (r.gost) out.push(t('documents.flags.gost'));
      if (r.declareLanguage) out.push(t('documents.flags.declareLanguage'));
      break;
    case 'number':
      if (r.min !== undefined && r.max !== undefined) out.push(t('aki.flags.range', { min: r.min, max: r.max }));
      else if (r.min !== undefined) out.push(t('aki.flags.min', { min: r.min }));
      else if (r.max !== undefined) out.push(t('aki.flags.max', { max: r.max }));
      break;
    case 'text':
      out.push(t('aki.flags.maxLength', { max: r.maxLength }));
      break;
    case 'date':
      if (r.notBefore || r.notAfter) out.push(t('aki.flags.dateRange', { from: r.notBefore ?? '…', to: r.notAfter ?? '…' }));
      if (r.notOlderThanDays !== undefined) out.push(t('aki.flags.notOlderThan', { days: r.notOlderThanDays }));
      break;
    default:
      break;
  }
  return out;
}

export const formatSize = (bytes: number): string => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
