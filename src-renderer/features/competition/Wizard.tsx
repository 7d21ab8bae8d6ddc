/**
 * «Конкурс құру (Хабарлама)»: the wizard of SPEC §1.2. Step 1 lives only in
 * the local database until «Келесі» creates the draft; from then on every
 * field autosaves (per-field outbox rows) and Back/Next never lose anything.
 * The shared rules check each step instantly; the portal checks again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodRef, TextField as FieldName, CompetitionRecord } from '../../../src-shared/competition/model';
import type { Step1Values, OrgLookup } from '../../../src-shared/competition/rpc';
import { checkGeneral, checkLot, checkPartner, checkPartnerBin, hasProblems, type Problems } from '../../../src-shared/competition/rules';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText } from '../../ui/errors';
import { TextField } from './fields';
import { organizerOrgs, useAutosave, useCompetition } from './data';
import { go } from './routes';
import { InitiatorsStep } from './InitiatorsStep';
import { RegulationsStep } from './RegulationsStep';
import { ReviewStep } from './ReviewStep';
import { IconButton } from '../../ui/IconButton';

export const STEPS = ['general', 'lot', 'partner', 'lotCreated', 'initiators', 'regulations', 'review'] as const;
export type Step = (typeof STEPS)[number];
export const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);
/** The five numbered steps the indicator shows (the state partner form and the lot belong to step 2). */
const NUMBERED: { id: string; steps: Step[] }[] = [
  { id: 'general', steps: ['general'] },
  { id: 'lot', steps: ['lot', 'partner', 'lotCreated'] },
  { id: 'initiators', steps: ['initiators'] },
  { id: 'regulations', steps: ['regulations'] },
  { id: 'review', steps: ['review'] },
];

const LOT_FIELDS: { field: FieldName; label: string; required: boolean; multiline: boolean }[] = [
  { field: 'lot.nameKk', label: 'competition.fields.lotNameKk', required: true, multiline: false },
  { field: 'lot.nameRu', label: 'competition.fields.lotNameRu', required: true, multiline: false },
  { field: 'lot.nameEn', label: 'competition.fields.lotNameEn', required: false, multiline: false },
  { field: 'lot.summary', label: 'competition.fields.summary', required: true, multiline: true },
  { field: 'lot.goals', label: 'competition.fields.goals', required: true, multiline: true },
  { field: 'lot.parameters', label: 'competition.fields.parameters', required: true, multiline: true },
  { field: 'lot.criteria', label: 'competition.fields.criteria', required: true, multiline: true },
  { field: 'lot.timeline', label: 'competition.fields.timeline', required: true, multiline: true },
];

const textOf = (c: CompetitionRecord): Record<string, string> => ({
  nameKk: c.nameKk, nameRu: c.nameRu, nameEn: c.nameEn,
  'lot.nameKk': c.lot.nameKk, 'lot.nameRu': c.lot.nameRu, 'lot.nameEn': c.lot.nameEn, 'lot.summary': c.lot.summary, 'lot.goals': c.lot.goals,
  'lot.parameters': c.lot.parameters, 'lot.criteria': c.lot.criteria, 'lot.timeline': c.lot.timeline,
  'partner.contact': c.partner.contact, 'partner.bin': c.partner.bin,
});

const EMPTY_STEP1: Step1Values = { organizationId: '', methodId: '', nameKk: '', nameRu: '', nameEn: '' };

function useMethods() {
  const [methods, setMethods] = useState<MethodRef[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    rpc.call('competition.methods', {}).then((r) => setMethods(r.methods), setError);
  }, []);
  return { methods, error };
}

export function Wizard({ competitionId, step }: { competitionId: string | null; step: Step }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const { methods, error: methodsError } = useMethods();
  const { data, error: loadError, reload } = useCompetition(competitionId);
  const [message, setMessage] = useState<{ kind: 'ok' | 'warn'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  const onError = useCallback((err: unknown) => setMessage({ kind: 'error', error: err }), []);
  const { save, flush } = useAutosave(competitionId, onError);
  const [text, setText] = useState<Record<string, string> | null>(null);
  const [step1, setStep1] = useState<Step1Values | null>(competitionId ? null : null);
  const [problems, setProblems] = useState<Problems>({});
  const step1Timer = useRef<number | null>(null);
  const orgs = organizerOrgs(auth);

  // Step 1 of a new competition: restore what was typed before (local database), default the organization.
  useEffect(() => {
    if (competitionId) return;
    void rpc.call('competition.step1.get', {}).then((r) => setStep1({ ...EMPTY_STEP1, organizationId: orgs[0]?.organizationId ?? '', ...(r.values ?? {}) }));
  }, [competitionId]);
  // An existing draft: the text fields start from the record once; later pulls do not overwrite what is being typed.
  useEffect(() => {
    if (data && text === null) setText(textOf(data.record));
  }, [data, text]);
  useEffect(() => setProblems({}), [step]);

  // A field the user corrects stops showing its old problem (Next checks again).
  const drop = (k: string) => setProblems((p) => (k in p ? Object.fromEntries(Object.entries(p).filter(([x]) => x !== k)) : p));
  const setStep1Value = (k: keyof Step1Values, v: string) => {
    drop(k === 'methodId' ? 'method' : k);
    setStep1((prev) => {
      const next = { ...(prev ?? EMPTY_STEP1), [k]: v };
      if (step1Timer.current) window.clearTimeout(step1Timer.current);
      step1Timer.current = window.setTimeout(() => void rpc.call('competition.step1.save', { values: next }).catch(onError), 300);
      return next;
    });
  };
  useEffect(() => () => {
    if (step1Timer.current) window.clearTimeout(step1Timer.current);
  }, []);

  const setField = (field: FieldName, value: string) => {
    drop(field);
    setText((prev) => ({ ...(prev ?? {}), [field]: value }));
    save(field, value);
  };
  const val = (field: string) => text?.[field] ?? '';
  const move = async (to: Step) => {
    await flush();
    if (competitionId) go(`competition-edit/${competitionId}/${to}`);
  };

  // Published from the review step (the portal decided, perhaps after an offline spell): open the competition page.
  useEffect(() => {
    if (data && data.record.status !== 'draft' && step === 'review') go(`competition/${data.record.competitionId}`);
  }, [data, step]);

  const offline = sync && sync.state !== 'online' && sync.state !== 'syncing';
  const record = data?.record ?? null;
  const stepIndex = NUMBERED.findIndex((n) => n.steps.includes(step));

  let body: React.ReactNode;
  if (competitionId && loadError) {
    body = <p className="notice notice-error">{t('competition.page.notFound')}</p>;
  } else if (competitionId && (!data || !text)) {
    body = <p className="muted">{t('app.loading')}</p>;
  } else if (record && data && !data.canEdit) {
    body = (
      <p className="notice notice-warn">
        {record.status !== 'draft' ? t('competition.notDraft') : t('competition.readOnly')} <a href={`#/competition/${record.competitionId}`}>{t('competition.open')}</a>
      </p>
    );
  } else if (step === 'general') {
    body = (
      <GeneralStep
        methods={methods}
        methodsError={methodsError}
        orgs={orgs.map((o) => ({ id: o.organizationId, name: o.organizationName }))}
        values={
          record
            ? { organizationId: record.organizationId, methodId: record.method.id, nameKk: val('nameKk'), nameRu: val('nameRu'), nameEn: val('nameEn') }
            : (step1 ?? EMPTY_STEP1)
        }
        fixedOrg={!!record}
        problems={problems}
        lang={lang}
        onChange={(k, v) => {
          if (!record) return setStep1Value(k, v);
          if (k === 'methodId') {
            drop('method');
            const m = methods?.find((x) => x.id === v);
            if (m) void rpc.call('competition.setMethod', { competitionId: record.competitionId, method: m }).then(() => reload(), onError);
          } else if (k !== 'organizationId') setField(k, v);
        }}
        onNext={async () => {
          const v = record ? { methodId: record.method.id, nameKk: val('nameKk'), nameRu: val('nameRu'), nameEn: val('nameEn') } : (step1 ?? EMPTY_STEP1);
          const p = checkGeneral({ ...v, methodId: v.methodId || null });
          if (!record && !(step1?.organizationId)) p.organization = 'required';
          setProblems(p);
          if (hasProblems(p)) return;
          if (record) return move('lot');
          const m = methods?.find((x) => x.id === step1!.methodId);
          if (!m) return setProblems({ method: 'required' });
          try {
            const r = await rpc.call('competition.create', { organizationId: step1!.organizationId, method: m, nameKk: step1!.nameKk, nameRu: step1!.nameRu, nameEn: step1!.nameEn });
            go(`competition-edit/${r.competitionId}/lot`);
          } catch (err) {
            onError(err);
          }
        }}
      />
    );
    if (record && data?.isCreator) body = <>{body}<SecretariesPicker record={record} onError={onError} reload={reload} /></>;
  } else if (!record) {
    body = null;
  } else if (step === 'lot') {
    body = (
      <form noValidate className="wizard-form" onSubmit={(e) => e.preventDefault()} aria-labelledby="step-title">
        {LOT_FIELDS.map((f) => (
          <TextField key={f.field} label={t(f.label)} value={val(f.field)} required={f.required} multiline={f.multiline} problem={problems[f.field]} onChange={(v) => setField(f.field, v)} />
        ))}
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => void move('general')}>
            {t('common.back')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              const p = checkLot({ lot: { ...record.lot, ...Object.fromEntries(LOT_FIELDS.map((f) => [f.field.slice(4), val(f.field)])) } });
              setProblems(p);
              if (!hasProblems(p)) void move('partner');
            }}
          >
            {t('common.continue')}
          </button>
        </div>
      </form>
    );
  } else if (step === 'partner') {
    body = (
      <PartnerStep
        record={record}
        contact={val('partner.contact')}
        bin={val('partner.bin')}
        problems={problems}
        offline={!!offline}
        onContact={(v) => setField('partner.contact', v)}
        onBin={(v) => setField('partner.bin', v.replace(/\D/g, '').slice(0, 12))}
        flush={flush}
        reload={reload}
        onError={onError}
        onCancel={() => void move('lot')}
        onSave={async () => {
          await flush();
          const fresh = await rpc.call('competition.get', { competitionId: record.competitionId });
          const c = fresh.record as unknown as CompetitionRecord;
          const p = { ...checkPartner({ partner: { ...c.partner, contact: val('partner.contact') } }) };
          setProblems(p);
          if (hasProblems(p)) return;
          try {
            await rpc.call('competition.saveLot', { competitionId: record.competitionId });
            go(`competition-edit/${record.competitionId}/lotCreated`);
          } catch (err) {
            onError(err);
          }
        }}
      />
    );
  } else if (step === 'lotCreated') {
    body = <LotCreatedStep record={record} onEdit={() => void move('lot')} onDeleted={() => setText(null)} onBack={() => void move('general')} onNext={() => void move('initiators')} onError={onError} reload={reload} />;
  } else if (step === 'initiators') {
    body = <InitiatorsStep record={record} offline={!!offline} onBack={() => void move('lot')} onNext={() => void move('regulations')} onError={onError} reload={reload} />;
  } else if (step === 'regulations') {
    body = <RegulationsStep record={record} onBack={() => void move('initiators')} onNext={() => void move('review')} onError={onError} reload={reload} />;
  } else {
    body = <ReviewStep record={record} pending={data?.pending ?? false} offline={!!offline} save={save} flush={flush} onBack={() => void move('regulations')} goTo={(s) => void move(s)} onError={onError} reload={reload} />;
  }

  return (
    <section className="page wizard" aria-labelledby="wizard-title">
      <h1 id="wizard-title">{t('competition.wizardTitle')}</h1>
      {record && (
        <p className="muted small">
          {t('competition.number')}: {record.number ?? t('competition.numberPending')} · {t(`competition.status.${record.status}`)}
          {data?.pending && <span className="pill">{t('competition.savedLocally')}</span>}
        </p>
      )}
      <ol className="steps" aria-label={t('competition.stepOf', { n: stepIndex + 1, total: NUMBERED.length })}>
        {NUMBERED.map((n, i) => (
          <li key={n.id} aria-current={i === stepIndex ? 'step' : undefined} className={i < stepIndex ? 'done' : ''}>
            <span className="step-no" aria-hidden="true">{i + 1}</span> {t(`competition.steps.${n.id}`)}
          </li>
        ))}
      </ol>
      <h2 id="step-title">{t(`competition.steps.${step}`)}</h2>
      {offline && (
        <p className="notice notice-warn" role="status">
          {t('competition.offlineNote')}
        </p>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {message && <p className={`notice notice-${message.kind}`}>{message.kind === 'error' ? errorText(t, message.error) : t(message.key)}</p>}
      </div>
      {body}
    </section>
  );
}

function GeneralStep(props: {
  methods: MethodRef[] | null;
  methodsError: unknown;
  orgs: { id: string; name: string }[];
  values: Step1Values;
  fixedOrg: boolean;
  problems: Problems;
  lang: Language;
  onChange(k: keyof Step1Values, v: string): void;
  onNext(): void | Promise<void>;
}) {
  const { t } = useTranslation();
  const { values: v, problems } = props;
  return (
    <form noValidate className="wizard-form" aria-labelledby="step-title" onSubmit={(e) => { e.preventDefault(); void props.onNext(); }}>
      {!props.fixedOrg && props.orgs.length > 1 && (
        <div className="field">
          <label htmlFor="c-org">{t('competition.organization')}</label>
          <select id="c-org" value={v.organizationId} onChange={(e) => props.onChange('organizationId', e.target.value)}>
            {props.orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {!props.fixedOrg && props.orgs.length === 0 && <p className="notice notice-error">{t('competition.noOrganizerRole')}</p>}
      <div className={`field${problems.method ? ' field-invalid' : ''}`}>
        <label htmlFor="c-method">
          {t('competition.fields.method')}
          <span aria-hidden="true" className="req"> *</span>
        </label>
        <select id="c-method" required value={v.methodId} aria-invalid={problems.method ? true : undefined} aria-describedby={problems.method ? 'c-method-error' : undefined} onChange={(e) => props.onChange('methodId', e.target.value)}>
          <option value="">{t('competition.fields.chooseMethod')}</option>
          {(props.methods ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name[props.lang] || m.name.kk}
            </option>
          ))}
        </select>
        {props.methodsError != null && !props.methods && <div className="field-error" role="alert">{errorText(t, props.methodsError)}</div>}
        {problems.method && (
          <div id="c-method-error" className="field-error" role="alert">
            {t(`competition.problems.${problems.method}`)}
          </div>
        )}
      </div>
      <TextField label={t('competition.fields.nameKk')} required value={v.nameKk} problem={problems.nameKk} onChange={(x) => props.onChange('nameKk', x)} />
      <TextField label={t('competition.fields.nameRu')} required value={v.nameRu} problem={problems.nameRu} onChange={(x) => props.onChange('nameRu', x)} />
      <TextField label={t('competition.fields.nameEn')} value={v.nameEn} problem={problems.nameEn} onChange={(x) => props.onChange('nameEn', x)} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {t('common.next')}
        </button>
      </div>
    </form>
  );
}

function PartnerStep(props: {
  record: CompetitionRecord;
  contact: string;
  bin: string;
  problems: Problems;
  offline: boolean;
  onContact(v: string): void;
  onBin(v: string): void;
  flush(): Promise<void>;
  reload(): Promise<void>;
  onError(err: unknown): void;
  onCancel(): void;
  onSave(): Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { record } = props;
  const [lookup, setLookup] = useState<OrgLookup | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Returning to the form: the heads of the organization found before (the portal, or the cache offline).
  useEffect(() => {
    if (record.partner.organizationId && record.partner.bin) {
      rpc.call('competition.lookupOrg', { bin: record.partner.bin }).then(setLookup, () => undefined);
    }
  }, []);

  async function find() {
    setNote(null);
    const problem = checkPartnerBin(props.bin);
    if (problem) return setNote(problem === 'required' ? 'competition.partner.findFirst' : 'competition.partner.invalidBin');
    setBusy(true);
    try {
      await props.flush();
      const r = await rpc.call('competition.lookupOrg', { bin: props.bin });
      setLookup(r);
      if (r.cached) setNote('competition.partner.cached');
      if (r.heads.length === 0) setNote('competition.partner.noHead');
      const keep = r.heads.find((h) => h.userId === record.partner.representativeUserId) ?? (r.heads.length === 1 ? r.heads[0]! : null);
      await rpc.call('competition.setPartnerOrg', { competitionId: record.competitionId, bin: props.bin, organization: { id: r.organization.id, name: r.organization.name }, representative: keep });
      await props.reload();
    } catch (err) {
      setLookup(null);
      const code = (err as { code?: string }).code;
      if (code === 'invalid_bin') setNote('competition.partner.invalidBin');
      else if (code === 'not_found') setNote('competition.partner.unknownOrg');
      else if (code === 'offline' || code === 'portal_unreachable' || code === 'timeout') setNote('competition.partner.offline');
      else props.onError(err);
    } finally {
      setBusy(false);
    }
  }

  const orgName = lookup ? (lookup.organization.names[i18n.language as 'kk' | 'ru' | 'en'] || lookup.organization.name) : record.partner.organizationName;
  const heads = lookup?.heads ?? (record.partner.representativeUserId ? [{ userId: record.partner.representativeUserId, fullName: record.partner.representativeName ?? '' }] : []);
  const binProblem = props.problems['partner.bin'];
  return (
    <form noValidate className="wizard-form" aria-labelledby="step-title" onSubmit={(e) => { e.preventDefault(); void props.onSave(); }}>
      <TextField label={t('competition.fields.contact')} required multiline value={props.contact} problem={props.problems['partner.contact']} onChange={props.onContact} />
      <div className="bin-row">
        <TextField label={t('competition.fields.partnerBin')} required value={props.bin} inputMode="numeric" maxLength={12} hint={t('competition.fields.partnerBinHint')} problem={binProblem} onChange={props.onBin} />
        <button type="button" className="btn" onClick={() => void find()} disabled={busy}>
          {busy ? t('competition.partner.searching') : t('competition.partner.find')}
        </button>
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {note && <p className={`notice ${note.endsWith('cached') ? 'notice-warn' : 'notice-error'}`}>{t(note)}</p>}
        {orgName && record.partner.organizationId && <p className="notice notice-ok">{t('competition.partner.found', { name: orgName })}</p>}
      </div>
      <div className={`field${props.problems['partner.representative'] ? ' field-invalid' : ''}`}>
        <label htmlFor="c-rep">
          {t('competition.fields.representative')}
          <span aria-hidden="true" className="req"> *</span>
        </label>
        <select
          id="c-rep"
          required
          disabled={heads.length === 0}
          value={record.partner.representativeUserId ?? ''}
          aria-invalid={props.problems['partner.representative'] ? true : undefined}
          onChange={(e) => {
            const h = heads.find((x) => x.userId === e.target.value) ?? null;
            if (!record.partner.organizationId) return;
            void rpc
              .call('competition.setPartnerOrg', { competitionId: record.competitionId, bin: record.partner.bin, organization: { id: record.partner.organizationId, name: record.partner.organizationName ?? '' }, representative: h })
              .then(() => props.reload(), props.onError);
          }}
        >
          <option value="">{t('competition.fields.chooseRepresentative')}</option>
          {heads.map((h) => (
            <option key={h.userId} value={h.userId}>
              {h.fullName}
            </option>
          ))}
        </select>
        {props.problems['partner.representative'] && (
          <div className="field-error" role="alert">
            {t(`competition.problems.${props.problems['partner.representative']}`)}
          </div>
        )}
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function LotCreatedStep(props: { record: CompetitionRecord; onEdit(): void; onDeleted(): void; onBack(): void; onNext(): void; onError(err: unknown): void; reload(): Promise<void> }) {
  const { t, i18n } = useTranslation();
  const { record } = props;
  const [deleting, setDeleting] = useState(false);
  const lotName = (i18n.language === 'ru' ? record.lot.nameRu : i18n.language === 'en' ? record.lot.nameEn || record.lot.nameRu : record.lot.nameKk) || record.lot.nameKk;
  return (
    <div className="wizard-form">
      {!record.lot.saved ? (
        <p className="muted">{t('competition.lot.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('competition.name')}</th>
              <th scope="col">{t('competition.fields.partnerBin')}</th>
              <th scope="col">{t('competition.lot.status')}</th>
              <th scope="col">{t('competition.actions')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{lotName}</th>
              <td>
                {record.partner.organizationName} ({record.partner.bin})<br />
                <span className="muted small">{record.partner.representativeName}</span>
              </td>
              <td>{t(`competition.lotStatus.${record.lotStatus}`)}</td>
              <td className="row-actions">
                <IconButton kind="edit" label={`${t('competition.edit')}: ${lotName}`} title={t('competition.edit')} onClick={props.onEdit} />
                <IconButton kind="delete" label={`${t('competition.delete')}: ${lotName}`} title={t('competition.delete')} onClick={() => setDeleting(true)} />
              </td>
            </tr>
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="btn btn-primary" disabled={!record.lot.saved} onClick={props.onNext}>
          {t('common.next')}
        </button>
      </div>
      <ConfirmDialog
        open={deleting}
        title={t('competition.delete')}
        message={t('competition.lot.deleteConfirm')}
        confirmLabel={t('competition.delete')}
        onCancel={() => setDeleting(false)}
        onConfirm={() => {
          setDeleting(false);
          void rpc.call('competition.deleteLot', { competitionId: record.competitionId }).then(async () => {
            await props.reload();
            props.onDeleted();
            props.onEdit();
          }, props.onError);
        }}
      />
    </div>
  );
}

/** The creator names the secretaries who may edit the draft (employees of the organization with the Secretary role). */
function SecretariesPicker({ record, onError, reload }: { record: CompetitionRecord; onError(err: unknown): void; reload(): Promise<void> }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<{ userId: string; fullName: string }[] | null>(null);
  // Shown at once; the saved list follows from the back end.
  const [selected, setSelected] = useState<string[]>(record.secretaryIds);
  useEffect(() => {
    rpc.call('competition.secretaryCandidates', { organizationId: record.organizationId }).then((r) => setUsers(r.users), onError);
  }, [record.organizationId, onError]);
  if (!users) return null;
  return (
    <fieldset className="role-set secretaries">
      <legend>{t('competition.fields.secretaries')}</legend>
      {users.length === 0 && <p className="muted small">{t('competition.fields.noSecretaries')}</p>}
      {users.map((u) => (
        <label key={u.userId} className="check">
          <input
            type="checkbox"
            checked={selected.includes(u.userId)}
            onChange={(e) => {
              const ids = e.target.checked ? [...selected, u.userId] : selected.filter((x) => x !== u.userId);
              setSelected(ids);
              void rpc.call('competition.setSecretaries', { competitionId: record.competitionId, secretaryIds: ids }).then(() => reload(), onError);
            }}
          />
          {u.fullName}
        </label>
      ))}
    </fieldset>
  );
}
