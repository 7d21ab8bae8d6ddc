import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../src-shared/accounts/roles';
import { RegisterEmployeeArgs } from '../../../src-shared/accounts/employee-mutations';
import type { EmployeeRow } from '../../../src-shared/accounts/rpc';
import { LANGUAGES, type Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { Field } from '../../ui/Field';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText, fieldErrors, issuesOf } from '../../ui/errors';

const EMPTY_FORM = { iin: '', fullName: '', email: '', phone: '', preferredLanguage: 'kk' as Language, roles: ['supplier'] as Role[] };

export function EmployeesPage() {
  const { t } = useTranslation();
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const memberships = auth?.user?.memberships ?? [];
  const [orgId, setOrgId] = useState(memberships[0]?.organizationId ?? '');
  const [query, setQuery] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [rows, setRows] = useState<EmployeeRow[]>([]);
  const [total, setTotal] = useState(0);
  // Kept as a key or an error, not as text, so a language switch re-translates it.
  const [message, setMessage] = useState<{ kind: 'ok'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  const [form, setForm] = useState(EMPTY_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<EmployeeRow | null>(null);
  const membership = memberships.find((m) => m.organizationId === orgId);
  const isHead = membership?.roles.includes('head') ?? false;

  const load = useCallback(async () => {
    if (!orgId) return;
    try {
      const r = await rpc.call('employees.list', { organizationId: orgId, query: query || undefined, role: role || undefined, offset: 0, limit: 200 });
      setRows(r.items);
      setTotal(r.total);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }, [orgId, query, role, t]);

  // Reload on every sync status change: a pull or a rejection may have changed the list.
  useEffect(() => {
    void load();
  }, [load, sync?.lastSyncAt, sync?.pending, sync?.rejected]);

  const roleLabel = useMemo(() => (r: Role) => t(`roles.${r}`), [t]);

  async function toggleRole(row: EmployeeRow, r: Role, on: boolean) {
    const roles = on ? [...new Set([...row.roles, r])] : row.roles.filter((x) => x !== r);
    if (roles.length === 0) return;
    try {
      await rpc.call('employees.setRoles', { organizationId: orgId, membershipId: row.membershipId, roles });
      setMessage({ kind: 'ok', key: 'employees.rolesSaved' });
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
    await load();
  }

  async function register(e: FormEvent) {
    e.preventDefault();
    const input = { organizationId: orgId, ...form, phone: form.phone.trim() || undefined };
    // The same zod schema the portal uses: every problem shows at its field before anything is sent.
    const local = RegisterEmployeeArgs.omit({ membershipId: true }).safeParse(input);
    if (!local.success) {
      setErrors(fieldErrors(t, local.error.issues));
      return;
    }
    setErrors({});
    try {
      await rpc.call('employees.register', input);
      setForm(EMPTY_FORM);
      setMessage({ kind: 'ok', key: 'employees.registered' });
      await load();
    } catch (err) {
      const fe = fieldErrors(t, issuesOf(err));
      setErrors(fe);
      setMessage({ kind: 'error', error: err });
    }
  }

  async function confirmRemove() {
    const row = removing;
    setRemoving(null);
    if (!row) return;
    try {
      await rpc.call('employees.remove', { organizationId: orgId, membershipId: row.membershipId });
      setMessage({ kind: 'ok', key: 'employees.removed' });
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
    await load();
  }

  if (memberships.length === 0) {
    return (
      <section aria-labelledby="employees-title">
        <h1 id="employees-title">{t('employees.title')}</h1>
        <p>{t('employees.noOrganizations')}</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="employees-title" className="page">
      <h1 id="employees-title">{t('employees.title')}</h1>
      <p className="lead">{t('employees.intro')}</p>
      {sync && sync.state !== 'online' && sync.state !== 'syncing' && (
        <p className="notice notice-warn" role="status">
          {t('employees.offlineNote')}
        </p>
      )}
      <div className="toolbar">
        {memberships.length > 1 && (
          <label className="inline-field">
            {t('employees.organization')}
            <select value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              {memberships.map((m) => (
                <option key={m.organizationId} value={m.organizationId}>
                  {m.organizationName} ({m.bin})
                </option>
              ))}
            </select>
          </label>
        )}
        {memberships.length === 1 && (
          <p className="org-name">
            {membership?.organizationName} · {membership?.bin}
          </p>
        )}
        <label className="inline-field">
          {t('employees.search')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="inline-field">
          {t('employees.roleFilter')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">{t('employees.allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div role="status" aria-live="polite" className="live-region">
        {message && (
          <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : 'notice-error'}`}>
            {message.kind === 'ok' ? t(message.key) : errorText(t, message.error)}
          </p>
        )}
      </div>
      {!isHead && <p className="muted">{t('employees.readOnly')}</p>}

      <table className="table">
        <caption className="muted">{t('employees.total', { count: total })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('employees.name')}</th>
            <th scope="col">{t('employees.email')}</th>
            <th scope="col">{t('employees.roles')}</th>
            {isHead && <th scope="col">{t('employees.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={isHead ? 4 : 3}>{t('employees.empty')}</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.membershipId} data-pending={row.pending || undefined}>
              <th scope="row">
                {row.fullName}
                {row.pending && <span className="pill">{t('employees.pending')}</span>}
              </th>
              <td>{row.email}</td>
              <td>
                {isHead ? (
                  <fieldset className="role-set">
                    <legend className="visually-hidden">
                      {t('employees.roles')}: {row.fullName}
                    </legend>
                    {ROLES.map((r) => (
                      <label key={r} className="check">
                        <input type="checkbox" checked={row.roles.includes(r)} onChange={(e) => void toggleRole(row, r, e.target.checked)} />
                        {roleLabel(r)}
                      </label>
                    ))}
                  </fieldset>
                ) : (
                  row.roles.map(roleLabel).join(', ')
                )}
              </td>
              {isHead && (
                <td>
                  <button type="button" className="btn btn-link-danger" onClick={() => setRemoving(row)}>
                    {t('employees.remove')}
                    <span className="visually-hidden">: {row.fullName}</span>
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      {isHead && (
        <form className="card form-grid" onSubmit={(e) => void register(e)} noValidate aria-labelledby="add-title">
          <h2 id="add-title">{t('employees.add')}</h2>
          <Field label={t('employees.iin')} name="iin" inputMode="numeric" maxLength={12} value={form.iin} error={errors.iin} required onChange={(e) => setForm({ ...form, iin: e.target.value })} />
          <Field label={t('employees.fullName')} name="fullName" value={form.fullName} error={errors.fullName} required onChange={(e) => setForm({ ...form, fullName: e.target.value })} />
          <Field label={t('employees.email')} name="email" type="email" value={form.email} error={errors.email} required onChange={(e) => setForm({ ...form, email: e.target.value })} />
          <Field label={t('employees.phone')} name="phone" type="tel" value={form.phone} error={errors.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />
          <div className="field">
            <label htmlFor="employee-language">{t('employees.language')}</label>
            <select id="employee-language" value={form.preferredLanguage} onChange={(e) => setForm({ ...form, preferredLanguage: e.target.value as Language })}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="role-set form-roles">
            <legend>{t('employees.roles')}</legend>
            {ROLES.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={form.roles.includes(r)}
                  onChange={(e) => setForm({ ...form, roles: e.target.checked ? [...form.roles, r] : form.roles.filter((x) => x !== r) })}
                />
                {roleLabel(r)}
              </label>
            ))}
            {errors.roles && (
              <div className="field-error" role="alert">
                {errors.roles}
              </div>
            )}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {t('employees.register')}
            </button>
          </div>
        </form>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t('employees.remove')}
        message={t('employees.removeConfirm', { name: removing?.fullName ?? '' })}
        confirmLabel={t('employees.remove')}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(null)}
      />
    </section>
  );
}
