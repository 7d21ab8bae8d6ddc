import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/store';

export function WorkspacePage() {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
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
        </dl>
      )}
    </section>
  );
}
