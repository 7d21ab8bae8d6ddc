import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { RejectedMutationSchema } from '../../../src-shared/rpc/app-methods';
import { isErrorCode } from '../../../src-shared/rpc/errors';
import { formatDateTime } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';

type Rejected = z.infer<typeof RejectedMutationSchema>;

/** What the portal refused, why, and what to do — until the user says they have seen it. */
export function RejectedPanel() {
  const { t, i18n } = useTranslation();
  const count = useApp((s) => s.sync?.rejected ?? 0);
  const [items, setItems] = useState<Rejected[]>([]);
  useEffect(() => {
    if (count === 0) {
      setItems([]);
      return;
    }
    void rpc.call('sync.rejected', {}).then((r) => setItems(r.items));
  }, [count]);
  if (items.length === 0) return null;
  return (
    <section className="rejected-panel" aria-labelledby="rejected-title" role="region">
      <h2 id="rejected-title">{t('rejected.title')}</h2>
      <ul>
        {items.map((item) => {
          const d = item.error.details as { changedBy?: string; changedAt?: string } | undefined;
          return (
            <li key={item.mutationId}>
              <strong>{t(`rejected.mutation.${item.name}`, { defaultValue: item.name })}</strong>
              {(item.args as { fullName?: string })?.fullName ? ` — ${(item.args as { fullName: string }).fullName}` : ''}
              <div>{t(`errors.${isErrorCode(item.error.code) ? item.error.code : 'internal'}`)}</div>
              {d?.changedBy && (
                <div className="muted">
                  {t('rejected.changedBy', { name: d.changedBy, time: d.changedAt ? formatDateTime(d.changedAt, i18n.language as Language) : '' })}
                </div>
              )}
              <div className="muted">{t('rejected.what')}</div>
              <button
                type="button"
                className="btn"
                onClick={() =>
                  void rpc.call('sync.dismiss', { mutationId: item.mutationId }).then(() => setItems((xs) => xs.filter((x) => x.mutationId !== item.mutationId)))
                }
              >
                {t('rejected.dismiss')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
