import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { RefusedChange, type Rejected } from './RefusedChange';

/**
 * Changes the portal did not accept — refused by its rules, or could not be sent after repeated
 * failures — with the reason and what to do, until the user retries, copies or discards each.
 */
export function RejectedPanel() {
  const { t } = useTranslation();
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
        {items.map((item) => (
          <RefusedChange key={item.mutationId} item={item} onGone={() => setItems((xs) => xs.filter((x) => x.mutationId !== item.mutationId))} />
        ))}
      </ul>
    </section>
  );
}
