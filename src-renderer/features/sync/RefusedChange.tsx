import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { RejectedMutationSchema } from '../../../src-shared/rpc/app-methods';
import { isErrorCode } from '../../../src-shared/rpc/errors';
import { formatDateTime } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { Field } from '../../ui/Field';
import { errorText, fieldErrors, issuesOf } from '../../ui/errors';
import { KNOWN_FIELDS, textFields } from './text-fields';

export type Rejected = z.infer<typeof RejectedMutationSchema>;

/**
 * One change the portal did not accept: refused (its rule said no) or could not be sent (it failed to
 * apply it N times). The reason, and what the user can do: edit its text and send it again as a new
 * change, copy the text to keep it, or discard it.
 */
export function RefusedChange({ item, onGone }: { item: Rejected; onGone: () => void }) {
  const { t, i18n } = useTranslation();
  const fields = textFields(item.args);
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const d = item.error.details as { changedBy?: string; changedAt?: string } | undefined;
  const label = (key: string) => (KNOWN_FIELDS.has(key) ? t(`rejected.field.${key}`) : t('rejected.field.other', { name: key }));
  const editable = item.name !== 'files.upload' && fields.length > 0;
  const title = (item.args as { fullName?: unknown })?.fullName;

  async function send() {
    setError(null);
    setProblems({});
    try {
      await rpc.call('sync.retry', { mutationId: item.mutationId, args: { ...(item.args as object), ...values } });
      onGone();
    } catch (err) {
      const byField = fieldErrors(t, issuesOf(err));
      setProblems(byField);
      if (Object.keys(byField).length === 0) setError(errorText(t, err));
    }
  }

  async function copy() {
    await navigator.clipboard.writeText(fields.map(([k, v]) => `${label(k)}: ${v}`).join('\n'));
    setCopied(true);
  }

  return (
    <li className="refused-change" data-mutation-id={item.mutationId}>
      <strong>{t(`rejected.mutation.${item.name}`, { defaultValue: item.name })}</strong>
      {typeof title === 'string' && title ? ` — ${title}` : ''}
      <div className="refused-kind">{item.couldNotSend ? t('rejected.couldNotSend') : t('rejected.refused')}</div>
      <div>{t(`errors.${isErrorCode(item.error.code) ? item.error.code : 'internal'}`)}</div>
      {item.couldNotSend && <div className="muted">{t('rejected.attempts', { count: item.attempts })}</div>}
      {d?.changedBy && (
        <div className="muted">{t('rejected.changedBy', { name: d.changedBy, time: d.changedAt ? formatDateTime(d.changedAt, i18n.language as Language) : '' })}</div>
      )}
      <div className="muted">{item.couldNotSend || editable ? t('rejected.whatFailed') : t('rejected.what')}</div>
      {editing && (
        <form
          className="refused-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          {fields.map(([key]) => (
            <Field key={key} label={label(key)} value={values[key] ?? ''} error={problems[key]} onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))} />
          ))}
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
          <div className="refused-actions">
            <button type="submit" className="btn btn-primary btn-small">
              {t('rejected.send')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <div className="refused-actions">
        {editable && !editing && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            {t('rejected.editRetry')}
          </button>
        )}
        {fields.length > 0 && (
          <button type="button" className="btn btn-small" onClick={() => void copy()}>
            {copied ? t('rejected.copied') : t('rejected.copy')}
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={() => void rpc.call('sync.dismiss', { mutationId: item.mutationId }).then(onGone)}>
          {item.couldNotSend || editable ? t('rejected.discard') : t('rejected.dismiss')}
        </button>
      </div>
    </li>
  );
}
