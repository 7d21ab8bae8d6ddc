import { useTranslation } from 'react-i18next';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { useApp } from '../../app/store';

export function WorkspacePage() {
  const { t, i18n } = useTranslation();
  const info = useApp((s) => s.info);
  const language = i18n.language as Language;
  return (
    <section aria-labelledby="workspace-title">
      <h1 id="workspace-title">{t('workspace.title')}</h1>
      <p className="lead">{t('workspace.welcome')}</p>
      {info && (
        <dl className="facts">
          <div>
            <dt>{t('workspace.portal')}</dt>
            <dd>{info.portalUrl}</dd>
          </div>
          <div>
            <dt>{t('workspace.version')}</dt>
            <dd>
              {info.version} · {info.hostKind === 'browser' ? t('workspace.hostBrowser') : t('workspace.hostElectron')}
            </dd>
          </div>
          <div>
            <dt>{t('workspace.now')}</dt>
            <dd data-utc={new Date().toISOString()}>{formatDateTime(new Date(), language)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
