/**
 * Step 5 «Конкурсты қарау»: everything read-only with links back, the
 * planned discussion (Almaty date and time, stored in UTC), the method's
 * minimum interval, the warning and «Жариялау». Offline, the publication is
 * queued and the user is told the portal decides when reachable; then the
 * portal's decision shows (status, or the rejection with its reasons).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompetitionRecord, TextField as FieldName } from '../../../src-shared/competition/model';
import { checkDiscussion, checkForPublication, hasProblems, type Problems } from '../../../src-shared/competition/rules';
import type { Language } from '../../../src-shared/i18n';
import { almatyParts, almatyWallTimeToUtc } from '../../../src-shared/time/almaty';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { CompetitionSummary } from './Summary';
import { DateInput } from '../../ui/DateInput';

const pad = (n: number) => String(n).padStart(2, '0');
function toInputs(iso: string | null): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const p = almatyParts(iso);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

const PROBLEM_LABELS: Record<string, string> = {
  method: 'competition.fields.method',
  nameKk: 'competition.fields.nameKk',
  nameRu: 'competition.fields.nameRu',
  nameEn: 'competition.fields.nameEn',
  lot: 'competition.page.lot',
  'lot.nameKk': 'competition.fields.lotNameKk',
  'lot.nameRu': 'competition.fields.lotNameRu',
  'lot.nameEn': 'competition.fields.lotNameEn',
  'lot.summary': 'competition.fields.summary',
  'lot.goals': 'competition.fields.goals',
  'lot.parameters': 'competition.fields.parameters',
  'lot.criteria': 'competition.fields.criteria',
  'lot.timeline': 'competition.fields.timeline',
  'partner.contact': 'competition.fields.contact',
  'partner.bin': 'competition.fields.partnerBin',
  'partner.representative': 'competition.fields.representative',
  discussionStart: 'competition.fields.discussionStart',
  discussionEnd: 'competition.fields.discussionEnd',
};
/** The label of the field a problem's path names (list items of initiators and regulations by their section). */
export const problemLabelKey = (path: string): string =>
  PROBLEM_LABELS[path] ?? (path.startsWith('regulations') ? 'competition.page.regulations' : path.startsWith('initiators') ? 'competition.page.initiators' : 'competition.review.general');

type Step = 'general' | 'lot' | 'partner' | 'initiators' | 'regulations';

export function ReviewStep(props: {
  record: CompetitionRecord;
  pending: boolean;
  offline: boolean;
  save(field: FieldName, value: string): void;
  flush(): Promise<void>;
  onBack(): void;
  goTo(step: Step): void;
  onError(err: unknown): void;
  reload(): Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const { record } = props;
  const [start, setStart] = useState(() => toInputs(record.discussionStart));
  const [end, setEnd] = useState(() => toInputs(record.discussionEnd));
  const [problems, setProblems] = useState<Problems>({});
  const [requested, setRequested] = useState(false);
  const sync = useApp((st) => st.sync);
  // The portal's refusal of a queued publication, with its reasons by field (the same codes the app checks).
  const [refused, setRefused] = useState<Problems | null>(null);
  useEffect(() => {
    rpc.call('sync.rejected', {}).then((r) => {
      const last = r.items.filter((i) => i.name === 'competition.publish' && (i.args as { competitionId?: string })?.competitionId === record.competitionId).at(-1);
      const fields = (last?.error.details as { fields?: Problems } | undefined)?.fields;
      setRefused(last ? (fields ?? {}) : null);
    }, props.onError);
  }, [sync?.rejected, record.competitionId, props.onError]);

  const utc = (v: { date: string; time: string }) => (v.date && v.time ? almatyWallTimeToUtc(v.date, v.time) : '');
  const change = (which: 'start' | 'end', v: { date: string; time: string }) => {
    (which === 'start' ? setStart : setEnd)(v);
    const iso = utc(v);
    if (iso || (!v.date && !v.time)) props.save(which === 'start' ? 'discussionStart' : 'discussionEnd', iso);
  };
  const dates = { discussionStart: utc(start) || null, discussionEnd: utc(end) || null };

  async function publish() {
    await props.flush();
    const p = checkForPublication({ ...record, ...dates });
    setProblems(p);
    if (hasProblems(p)) return;
    try {
      await rpc.call('competition.publish', { competitionId: record.competitionId });
      setRequested(true);
      await props.reload();
    } catch (err) {
      props.onError(err);
    }
  }

  const intervalProblem = checkDiscussion(dates, record.method.minDiscussionDays);
  const shownProblems = Object.entries(problems);
  return (
    <div className="wizard-form">
      <CompetitionSummary record={record} onEdit={(s) => props.goTo(s)} />
      <fieldset className="dates">
        <legend>{t('competition.dates')}</legend>
        <p className="notice">{t('competition.review.minInterval', { days: record.method.minDiscussionDays, method: record.method.name[lang] || record.method.name.kk })}</p>
        {(['start', 'end'] as const).map((which) => {
          const v = which === 'start' ? start : end;
          const key = which === 'start' ? 'discussionStart' : 'discussionEnd';
          const problem = problems[key] ?? (v.date && v.time ? intervalProblem[key] : undefined);
          return (
            <div key={which} className={`field date-row${problem ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${which}-label`}>
              <span id={`${which}-label`} className="label">
                {t(`competition.fields.${key}`)}
                <span aria-hidden="true" className="req"> *</span>
              </span>
              <label>
                <span className="visually-hidden">
                  {t(`competition.fields.${key}`)}: {t('competition.fields.date')}
                </span>
                <DateInput value={v.date} aria-invalid={problem ? true : undefined} onChange={(date) => change(which, { ...v, date })} />
              </label>
              <label>
                <span className="visually-hidden">
                  {t(`competition.fields.${key}`)}: {t('competition.fields.time')}
                </span>
                <input type="time" value={v.time} aria-invalid={problem ? true : undefined} onChange={(e) => change(which, { ...v, time: e.target.value })} />
              </label>
              {problem && (
                <div className="field-error" role="alert">
                  {t(`competition.problems.${problem}`)}
                </div>
              )}
            </div>
          );
        })}
      </fieldset>
      <p className="notice notice-warn" role="note">
        {t('competition.review.warning')}
      </p>
      {shownProblems.length > 0 && (
        <div className="notice notice-error" role="alert">
          <p>{t('competition.problems.fixBefore')}</p>
          <ul>
            {shownProblems.map(([path, code]) => (
              <li key={path}>
                {t(problemLabelKey(path))}: {t(`competition.problems.${code}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {refused && !record.publishRequested && (
        <div className="notice notice-error" role="alert">
          <p>{t('competition.review.refused')}</p>
          <ul>
            {Object.entries(refused).map(([path, code]) => (
              <li key={path}>
                {t(problemLabelKey(path))}: {t(`competition.problems.${code}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {(requested || record.publishRequested) && record.status === 'draft' && (
        <p className="notice notice-warn" role="status">
          {t('competition.review.queued')}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void publish()} disabled={record.publishRequested}>
          {t('competition.review.publish')}
        </button>
      </div>
    </div>
  );
}
