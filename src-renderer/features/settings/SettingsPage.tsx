/**
 * Settings of the signed-in user. For now: linking an EDS (AUTH) certificate to the account, so
 * the next sign-in can use the EDS alone (issue 8 §4). The language switcher stays in the top bar.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pickFiles, rpc } from '../../app/rpc';
import { formatDate, formatDateTime } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import type { EdsLink } from '../../../src-shared/ncalayer/eds-auth';
import type { FileInfo } from '../../../src-shared/rpc/file-methods';
import type { EdsKeyInput, NcaStorage } from '../../../src-shared/ncalayer/rpc';
import { EdsErrorBox, KeyPasswordDialog, NcaStorageSelect } from '../auth/eds-key-ui';

function LinkFacts({ link }: { link: EdsLink }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  return (
    <dl className="facts eds-link-facts">
      <div>
        <dt>{t('eds.owner')}</dt>
        <dd>{link.subject}</dd>
      </div>
      <div>
        <dt>{t('eds.iin')}</dt>
        <dd>{link.iin}</dd>
      </div>
      {link.bin && (
        <div>
          <dt>{t('eds.bin')}</dt>
          <dd>{link.bin}</dd>
        </div>
      )}
      {link.validFrom && link.validTo && (
        <div>
          <dt>{t('eds.validity')}</dt>
          <dd>{t('eds.validityRange', { from: formatDate(link.validFrom, lang), to: formatDate(link.validTo, lang) })}</dd>
        </div>
      )}
      <div>
        <dt>{t('eds.linkedAt')}</dt>
        <dd>{formatDateTime(link.linkedAt, lang)}</dd>
      </div>
    </dl>
  );
}

function EdsLinkSection() {
  const { t } = useTranslation();
  const baseId = useId();
  const [storage, setStorage] = useState<NcaStorage>('any');
  const [busy, setBusy] = useState<'ncalayer' | 'file' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [keyFile, setKeyFile] = useState<FileInfo | null>(null);
  const [linked, setLinked] = useState<EdsLink | null>(null);
  /** The account's linked certificates as the portal lists them; null while loading or when it cannot be reached. */
  const [links, setLinks] = useState<EdsLink[] | null>(null);
  const [linksError, setLinksError] = useState<unknown>(null);

  const loadLinks = useCallback(() => {
    rpc.call('auth.edsLinks', {}).then(
      (r) => {
        setLinks(r.links);
        setLinksError(null);
      },
      (e: unknown) => setLinksError(e),
    );
  }, []);
  useEffect(loadLinks, [loadLinks]);

  async function link(key: EdsKeyInput, via: 'ncalayer' | 'file') {
    setBusy(via);
    setError(null);
    setLinked(null);
    try {
      setLinked(await rpc.call('auth.edsLink', key));
      loadLinks();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function chooseKeyFile() {
    setError(null);
    try {
      const file = (await pickFiles('p12'))[0];
      if (file) setKeyFile(file);
    } catch (err) {
      setError(err);
    }
  }

  const others = (links ?? []).filter((l) => !linked || l.iin !== linked.iin);
  return (
    <section className="card settings-section" aria-labelledby={`${baseId}-eds`}>
      <h2 id={`${baseId}-eds`}>{t('eds.linkTitle')}</h2>
      <p>{t('eds.linkIntro')}</p>
      <div className="settings-eds-actions">
        <form
          className="auth-form"
          onSubmit={(e) => {
            e.preventDefault();
            void link({ source: 'ncalayer', storage }, 'ncalayer');
          }}
        >
          <NcaStorageSelect id={`${baseId}-storage`} value={storage} onChange={setStorage} />
          <button type="submit" className="btn btn-primary" disabled={busy !== null}>
            {busy === 'ncalayer' ? t('eds.waitingNca') : t('eds.linkNca')}
          </button>
        </form>
        <div className="auth-form">
          <p className="muted small">{t('eds.linkFileHint')}</p>
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void chooseKeyFile()}>
            {busy === 'file' ? t('eds.linking') : t('eds.linkFile')}
          </button>
        </div>
      </div>
      {error !== null && <EdsErrorBox error={error} lead={t('eds.linkNotDone')} />}
      {linked && (
        <div className="notice notice-ok" role="status">
          <p>{t('eds.linkDone')}</p>
          <LinkFacts link={linked} />
        </div>
      )}
      <h3>{t('eds.linkedTitle')}</h3>
      {linksError !== null ? (
        <p className="muted">{t('eds.linksUnavailable')}</p>
      ) : links === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : links.length === 0 ? (
        <p className="muted">{t('eds.noLinks')}</p>
      ) : linked && others.length === 0 ? (
        <p className="muted">{t('eds.onlyThisLink')}</p>
      ) : (
        <ul className="plain-list">
          {others.map((l) => (
            <li key={l.iin}>
              <LinkFacts link={l} />
            </li>
          ))}
        </ul>
      )}
      <KeyPasswordDialog
        file={keyFile}
        submitLabel={t('eds.linkSubmit')}
        onCancel={() => setKeyFile(null)}
        onSubmit={(password) => {
          const f = keyFile;
          setKeyFile(null);
          if (f) void link({ source: 'file', handle: f.handle, password }, 'file');
        }}
      />
    </section>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-title" className="page">
      <h1 id="settings-title">{t('nav.settings')}</h1>
      <EdsLinkSection />
    </section>
  );
}
