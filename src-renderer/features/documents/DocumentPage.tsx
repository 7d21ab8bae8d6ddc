import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpc } from '../../app/rpc';
import { errorText } from '../../ui/errors';
import { PdfPreview } from './PdfPreview';

/** `#/document/<sha256>[/<name>]`: a file of the account's store in the built-in viewer. */
export function DocumentPage() {
  const { t } = useTranslation();
  const [, , sha256 = '', rawName = ''] = window.location.hash.split('/');
  const name = decodeURIComponent(rawName) || sha256.slice(0, 12);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setUrl(null);
    setError(null);
    rpc.call('files.contentUrl', { sha256 }).then((r) => setUrl(r.url), setError);
  }, [sha256]);
  return (
    <section aria-labelledby="document-title" className="page">
      <h1 id="document-title">{t('documents.previewTitle')}</h1>
      <p className="muted">{name}</p>
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {url && <PdfPreview url={url} title={name} />}
    </section>
  );
}
