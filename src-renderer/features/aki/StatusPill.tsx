import { useTranslation } from 'react-i18next';
import type { AkiStatus } from '../../../src-shared/aki/status';

export function StatusPill({ status }: { status: AkiStatus }) {
  const { t } = useTranslation();
  return <span className={`pill aki-status aki-status-${status}`}>{t(`aki.statuses.${status}`)}</span>;
}
