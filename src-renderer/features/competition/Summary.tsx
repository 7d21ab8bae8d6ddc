/** The competition read-only, section by section (the review step and the competition page). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import type { CompetitionRecord } from '../../../src-shared/competition/model';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { rpc } from '../../app/rpc';
import { fileSize } from './RegulationsStep';

/** Saves a regulation's file through the browser (a blob link): the same in the browser host and in Electron. */
async function download(competitionId: string, regulationId: string) {
  const f = await rpc.call('competition.readRegulation', { competitionId, regulationId });
  const bin = atob(f.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: f.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DownloadButton({ competitionId, regulationId, name }: { competitionId: string; regulationId: string; name: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      {' '}
      <button
        type="button"
        className="btn btn-small"
        aria-label={`${t('competition.regulations.download')}: ${name}`}
        onClick={() => {
          setError(null);
          download(competitionId, regulationId).catch(setError);
        }}
      >
        {t('competition.regulations.download')}
      </button>
      {error != null && (
        <span className="field-error" role="alert">
          {' '}
          {errorText(t, error)}
        </span>
      )}
    </>
  );
}

type StepLink = 'general' | 'lot' | 'partner' | 'initiators' | 'regulations';

function Section({ id, title, onEdit, children }: { id: string; title: string; onEdit?: () => void; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="summary-section" aria-labelledby={id}>
      <div className="summary-head">
        <h3 id={id}>{title}</h3>
        {onEdit && (
          <button type="button" className="btn btn-small" aria-label={`${t('competition.goToStep')}: ${title}`} onClick={onEdit}>
            {t('competition.goToStep')}
          </button>
        )}
      </div>
      {children}
    </section>
  );
}

function Rows({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === '' || v === null || v === undefined ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CompetitionSummary({ record: c, onEdit, downloads }: { record: CompetitionRecord; onEdit?: (step: StepLink) => void; downloads?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const edit = (s: StepLink) => (onEdit ? () => onEdit(s) : undefined);
  return (
    <div className="summary-grid">
      <Section id="sum-general" title={t('competition.review.general')} onEdit={edit('general')}>
        <Rows
          rows={[
            [t('competition.number'), c.number ?? t('competition.numberPending')],
            [t('competition.fields.method'), c.method.name[lang] || c.method.name.kk],
            [t('competition.fields.nameKk'), c.nameKk],
            [t('competition.fields.nameRu'), c.nameRu],
            [t('competition.fields.nameEn'), c.nameEn],
          ]}
        />
      </Section>
      <Section id="sum-lot" title={t('competition.page.lot')} onEdit={edit('lot')}>
        <Rows
          rows={[
            [t('competition.lot.status'), t(`competition.lotStatus.${c.lotStatus}`)],
            [t('competition.fields.lotNameKk'), c.lot.nameKk],
            [t('competition.fields.lotNameRu'), c.lot.nameRu],
            [t('competition.fields.lotNameEn'), c.lot.nameEn],
            [t('competition.fields.summary'), c.lot.summary],
            [t('competition.fields.goals'), c.lot.goals],
            [t('competition.fields.parameters'), c.lot.parameters],
            [t('competition.fields.criteria'), c.lot.criteria],
            [t('competition.fields.timeline'), c.lot.timeline],
          ]}
        />
      </Section>
      <Section id="sum-partner" title={t('competition.page.partner')} onEdit={edit('partner')}>
        <Rows
          rows={[
            [t('competition.fields.contact'), c.partner.contact],
            [t('competition.fields.partnerBin'), c.partner.organizationName ? `${c.partner.organizationName} (${c.partner.bin})` : c.partner.bin],
            [t('competition.fields.representative'), c.partner.representativeName ?? ''],
          ]}
        />
      </Section>
      <Section id="sum-initiators" title={t('competition.page.initiators')} onEdit={edit('initiators')}>
        {c.initiators.length === 0 ? (
          <p className="muted">{t('competition.initiators.empty')}</p>
        ) : (
          <ul className="plain-list">
            {c.initiators.map((i) => (
              <li key={i.id}>
                <strong>{i.userName}</strong> — {t('competition.fields.initiatorPartner')}: {i.partnerIinBin}
                {i.representative && `; ${i.representative}`}
                {i.position && `, ${i.position}`}
                {i.phone && `; ${i.phone}`}
                {i.email && `; ${i.email}`}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="sum-regulations" title={t('competition.page.regulations')} onEdit={edit('regulations')}>
        {c.regulations.length === 0 ? (
          <p className="muted">{t('competition.regulations.empty')}</p>
        ) : (
          <ul className="plain-list">
            {c.regulations.map((r) => (
              <li key={r.id}>
                <strong>{lang === 'ru' ? r.nameRu : r.nameKk}</strong>
                <span className="muted small">
                  {' '}
                  {r.file ? t('competition.regulations.file', { name: r.file.name, size: fileSize(r.file.size) }) : t('competition.regulations.noFile')}
                </span>
                {downloads && r.file && <DownloadButton competitionId={c.competitionId} regulationId={r.id} name={r.file.name} />}
              </li>
            ))}
          </ul>
        )}
      </Section>
      {(c.discussionStart || c.discussionEnd) && !onEdit && (
        <Section id="sum-dates" title={t('competition.dates')}>
          <Rows
            rows={[
              [t('competition.fields.discussionStart'), c.discussionStart ? formatDateTime(c.discussionStart, lang) : ''],
              [t('competition.fields.discussionEnd'), c.discussionEnd ? formatDateTime(c.discussionEnd, lang) : ''],
            ]}
          />
        </Section>
      )}
    </div>
  );
}
