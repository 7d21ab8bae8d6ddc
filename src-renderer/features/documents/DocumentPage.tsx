import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpc } from '../../app/rpc';
import { errorText } from '../../ui/errors';
import { BadgeChip } from './Badges';
import { PdfPreview } from './PdfPreview';
import { useInspection } from './useInspection';
import { VerificationPanel } from './VerificationPanel';
import '../../styles/documents.css';

/** `#/document/<sha256>[/<name>]`: a file of the account's store in the built-in viewer, with its verification report beside it. */
export function DocumentPage() {
  const { t } = useTranslation();
  const [, , sha256 = '', rawName = ''] = window.location.hash.split('/');
  const name = decodeURIComponent(rawName) || sha256.slice(0, 12);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const entry = useInspection(/^[0-9a-f]{64}$/.test(sha256) ? sha256 : undefined);
  useEffect(() => {
    setUrl(null);
    setError(null);
    rpc.call('files.contentUrl', { sha256 }).then((r) => setUrl(r.url), setError);
  }, [sha256]);
  return (
    <section aria-labelledby="document-title" className="page page-wide">
      <h1 id="document-title">{t('documents.previewTitle')}</h1>
      <p className="muted">{name}</p>
      {entry?.state === 'ready' && (
        <div className="doc-badges" role="group" aria-label={t('documents.badgesFor', { name })}>
          {entry.inspection.badges.map((b) => <BadgeChip key={b} badge={b} />)}
        </div>
      )}
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      <div className="doc-layout">
        <div>{url && <PdfPreview url={url} title={name} />}</div>
        <aside className="card" aria-label={t('documents.panel.title')}>
          {entry?.state === 'ready' && <VerificationPanel inspection={entry.inspection} />}
          {entry?.state === 'loading' && <p className="muted" role="status">{t('documents.inspecting')}</p>}
          {entry?.state === 'error' && <p className="muted">{t('documents.notInspectedHint')}</p>}
        </aside>
      </div>
    </section>
  );
}
