/**
 * The customer's requirement template editor, per category: the six types,
 * each required or optional, ordered, with kk/ru/en texts and the type's
 * limits (file types and size with the signing flags, options, min/max/unit,
 * max length, absolute and relative date limits). Saving makes a new version;
 * applications keep the version they were made with.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AkiTemplateSchema, FILE_KINDS, REQUIREMENT_TYPES, type AkiRequirement, type RequirementType } from '../../../src-shared/aki/template';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { errorText } from '../../ui/errors';
import { go, pick } from './shared';
import { DateInput } from '../../ui/DateInput';

type Groups = Awaited<ReturnType<typeof rpc.call<'aki.reference'>>>['groups'];
// The editor holds loosely typed rows; the shared schema decides on save.
type Row = Record<string, unknown> & { type: RequirementType; key: string; label: { kk: string; ru: string; en: string } };

const blank = (type: RequirementType, n: number): Row => {
  const base: Row = { type, key: `${type}_${n}`, label: { kk: '', ru: '', en: '' } };
  if (type === 'heading') return base;
  const withReq = { ...base, required: false };
  if (type === 'file') return { ...withReq, accept: ['pdf'], signed: false, pdfA: false, signerMustBeSupplier: false, timestamp: false, gost: false, declareLanguage: false };
  if (type === 'select') return { ...withReq, options: [], multiple: false };
  if (type === 'text') return { ...withReq, maxLength: 1000 };
  return withReq;
};
const optionsText = (r: Row) => ((r.options as { value: string; label: { kk: string; ru: string; en: string } }[] | undefined) ?? []).map((o) => [o.value, o.label.kk, o.label.ru, o.label.en].join('|')).join('\n');
const parseOptions = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
  const [value = '', kk = '', ru = '', en = ''] = l.split('|').map((x) => x.trim());
  return { value, label: { kk: kk || value, ru: ru || kk || value, en } };
});
const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

export function TemplateEditor({ categoryId }: { categoryId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const [groups, setGroups] = useState<Groups>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [version, setVersion] = useState(0);
  const [newType, setNewType] = useState<RequirementType>('text');
  const [nc, setNc] = useState({ groupId: '', groupCode: '', groupName: { kk: '', ru: '', en: '' }, code: '', name: { kk: '', ru: '', en: '' } });
  const [message, setMessage] = useState<{ kind: 'ok'; key: string } | { kind: 'error'; error?: unknown; text?: string } | null>(null);
  const customerOrgs = new Set((auth?.user?.memberships ?? []).filter((m) => m.roles.includes('customer')).map((m) => m.organizationId));

  const load = useCallback(async () => {
    const ref = await rpc.call('aki.reference', {});
    setGroups(ref.groups);
    if (!categoryId) return;
    const tpl = await rpc.call('aki.template.get', { categoryId });
    setVersion(tpl.templateVersion);
    setRows((tpl.template?.requirements ?? []) as unknown as Row[]);
  }, [categoryId]);
  useEffect(() => {
    void load().catch((err) => setMessage({ kind: 'error', error: err }));
  }, [load]);

  const mine = groups.flatMap((g) => g.categories.filter((c) => c.customerOrgId && customerOrgs.has(c.customerOrgId)).map((c) => ({ ...c, group: g })));
  const current = mine.find((c) => c.categoryId === categoryId);
  const update = (i: number, patch: Record<string, unknown>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, d: -1 | 1) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    next.splice(i + d, 0, r!);
    setRows(next);
  };

  async function save() {
    if (!categoryId) return;
    const parsed = AkiTemplateSchema.safeParse({ requirements: rows });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      setMessage({ kind: 'error', text: `${t('errors.invalid_input')} (${i?.path.join('.') ?? ''})` });
      return;
    }
    try {
      await rpc.call('aki.template.save', { categoryId, template: parsed.data });
      setMessage({ kind: 'ok', key: 'aki.editor.saved' });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }

  const ownerOrg = [...customerOrgs][0] ?? '';
  async function createCategory() {
    const isNew = nc.groupId === 'new';
    try {
      const r = await rpc.call('aki.category.create', {
        organizationId: ownerOrg,
        ...(isNew ? { newGroup: { code: nc.groupCode.trim(), name: nc.groupName } } : { groupId: nc.groupId || undefined }),
        code: nc.code.trim(),
        name: nc.name,
      });
      setMessage({ kind: 'ok', key: 'aki.editor.saved' });
      go(`aki-templates/${r.categoryId}`);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }

  return (
    <section aria-labelledby="aki-editor-title" className="page aki-page">
      <h1 id="aki-editor-title">{current ? t('aki.editor.title', { category: pick(current.name, lang) }) : t('aki.templatesTitle')}</h1>
      <div className="inline-field">
        <label htmlFor="aki-editor-category">{t('aki.category')}</label>
        <select id="aki-editor-category" value={categoryId ?? ''} onChange={(e) => go(`aki-templates/${e.target.value}`)}>
          <option value="">{t('aki.editor.chooseCategory')}</option>
          {mine.map((c) => <option key={c.categoryId} value={c.categoryId}>{pick(c.group.name, lang)} — {pick(c.name, lang)}</option>)}
        </select>
      </div>
      {current && (
        <>
          <p className="muted">{t('aki.editor.version', { version })}</p>
          <ol className="aki-editor-list">
            {rows.map((r, i) => (
              <li key={`${i}-${r.type}`} className="card aki-editor-item">
                <fieldset>
                  <legend>{i + 1}. {t(`aki.types.${r.type}`)}</legend>
                  <div className="form-grid">
                    <label className="field">{t('aki.editor.key')}<input value={r.key} onChange={(e) => update(i, { key: e.target.value })} /></label>
                    <label className="field">{t('aki.editor.labelKk')}<textarea rows={2} value={r.label.kk} onChange={(e) => update(i, { label: { ...r.label, kk: e.target.value } })} /></label>
                    <label className="field">{t('aki.editor.labelRu')}<textarea rows={2} value={r.label.ru} onChange={(e) => update(i, { label: { ...r.label, ru: e.target.value } })} /></label>
                    <label className="field">{t('aki.editor.labelEn')}<textarea rows={2} value={r.label.en} onChange={(e) => update(i, { label: { ...r.label, en: e.target.value } })} /></label>
                    {r.type !== 'heading' && (
                      <label className="check"><input type="checkbox" checked={!!r.required} onChange={(e) => update(i, { required: e.target.checked })} />{t('aki.editor.requiredFlag')}</label>
                    )}
                    {r.type === 'file' && (
                      <>
                        <fieldset className="role-set">
                          <legend>{t('aki.editor.accept')}</legend>
                          {FILE_KINDS.map((k) => {
                            const acc = (r.accept as string[]) ?? [];
                            return <label key={k} className="check"><input type="checkbox" checked={acc.includes(k)} onChange={(e) => update(i, { accept: e.target.checked ? [...acc, k] : acc.filter((x) => x !== k) })} />{t(`aki.fileKinds.${k}`)}</label>;
                          })}
                        </fieldset>
                        <label className="field">{t('aki.editor.maxSizeMb')}<input type="number" min={1} value={r.maxSizeBytes ? String(Number(r.maxSizeBytes) / 1048576) : ''} onChange={(e) => update(i, { maxSizeBytes: num(e.target.value) ? Math.round(num(e.target.value)! * 1048576) : undefined })} /></label>
                        <label className="field">{t('aki.editor.maxAgeDays')}<input type="number" min={1} value={r.maxAgeDays === undefined ? '' : String(r.maxAgeDays)} onChange={(e) => update(i, { maxAgeDays: num(e.target.value) })} /></label>
                        <label className="check"><input type="checkbox" checked={!!r.signed} onChange={(e) => update(i, { signed: e.target.checked })} />{t('aki.flags.signed')}</label>
                        <label className="check"><input type="checkbox" checked={!!r.pdfA} onChange={(e) => update(i, { pdfA: e.target.checked })} />{t('aki.flags.pdfA')}</label>
                        <label className="check"><input type="checkbox" checked={!!r.signerMustBeSupplier} onChange={(e) => update(i, { signerMustBeSupplier: e.target.checked })} />{t('aki.flags.signerMustBeSupplier')}</label>
                        <label className="check"><input type="checkbox" checked={!!r.timestamp} onChange={(e) => update(i, { timestamp: e.target.checked })} />{t('documents.flags.timestamp')}</label>
                        <label className="check"><input type="checkbox" checked={!!r.gost} onChange={(e) => update(i, { gost: e.target.checked })} />{t('documents.flags.gost')}</label>
                        <label className="check"><input type="checkbox" checked={!!r.declareLanguage} onChange={(e) => update(i, { declareLanguage: e.target.checked })} />{t('documents.flags.declareLanguage')}</label>
                      </>
                    )}
                    {r.type === 'select' && (
                      <label className="field aki-wide">{t('aki.editor.options')}<textarea rows={3} defaultValue={optionsText(r)} onBlur={(e) => update(i, { options: parseOptions(e.target.value) })} /></label>
                    )}
                    {r.type === 'number' && (
                      <>
                        <label className="field">{t('aki.editor.min')}<input type="number" value={r.min === undefined ? '' : String(r.min)} onChange={(e) => update(i, { min: num(e.target.value) })} /></label>
                        <label className="field">{t('aki.editor.max')}<input type="number" value={r.max === undefined ? '' : String(r.max)} onChange={(e) => update(i, { max: num(e.target.value) })} /></label>
                        <label className="field">{t('aki.editor.unit')}<input value={(r.unit as string) ?? ''} onChange={(e) => update(i, { unit: e.target.value || undefined })} /></label>
                      </>
                    )}
                    {r.type === 'text' && (
                      <label className="field">{t('aki.editor.maxLength')}<input type="number" min={1} value={String(r.maxLength ?? 1000)} onChange={(e) => update(i, { maxLength: num(e.target.value) })} /></label>
                    )}
                    {r.type === 'date' && (
                      <>
                        <label className="field">{t('aki.editor.notBefore')}<DateInput value={(r.notBefore as string) ?? ''} onChange={(d) => update(i, { notBefore: d || undefined })} /></label>
                        <label className="field">{t('aki.editor.notAfter')}<DateInput value={(r.notAfter as string) ?? ''} onChange={(d) => update(i, { notAfter: d || undefined })} /></label>
                        <label className="field">{t('aki.editor.notOlderThanDays')}<input type="number" min={0} value={r.notOlderThanDays === undefined ? '' : String(r.notOlderThanDays)} onChange={(e) => update(i, { notOlderThanDays: num(e.target.value) })} /></label>
                      </>
                    )}
                  </div>
                  <div className="form-actions">
                    <button type="button" className="btn btn-small" disabled={i === 0} onClick={() => move(i, -1)}>{t('aki.editor.up')}<span className="visually-hidden">: {r.key}</span></button>
                    <button type="button" className="btn btn-small" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>{t('aki.editor.down')}<span className="visually-hidden">: {r.key}</span></button>
                    <button type="button" className="btn btn-small btn-link-danger" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('aki.editor.remove')}<span className="visually-hidden">: {r.key}</span></button>
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          <div className="toolbar">
            <label className="inline-field">
              {t('aki.editor.type')}
              <select value={newType} onChange={(e) => setNewType(e.target.value as RequirementType)}>
                {REQUIREMENT_TYPES.map((ty) => <option key={ty} value={ty}>{t(`aki.types.${ty}`)}</option>)}
              </select>
            </label>
            <button type="button" className="btn" onClick={() => setRows([...rows, blank(newType, rows.length + 1)])}>{t('aki.editor.add')}</button>
            <button type="button" className="btn btn-primary" onClick={() => void save()}>{t('aki.editor.saveTemplate')}</button>
          </div>
        </>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {message && <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : 'notice-error'}`}>{message.kind === 'ok' ? t(message.key) : (message.text ?? errorText(t, message.error))}</p>}
      </div>
      {ownerOrg && (
        <form className="card form-grid aki-new-category" aria-labelledby="aki-new-category-title" noValidate onSubmit={(e) => { e.preventDefault(); void createCategory(); }}>
          <h2 id="aki-new-category-title" className="aki-wide">{t('aki.editor.newCategory')}</h2>
          <div className="field aki-wide">
            <label htmlFor="aki-new-category-group">{t('aki.group')}</label>
            <select id="aki-new-category-group" value={nc.groupId} onChange={(e) => setNc({ ...nc, groupId: e.target.value })}>
              <option value="">{t('aki.choose')}</option>
              {groups.map((g) => <option key={g.groupId} value={g.groupId}>{pick(g.name, lang)}</option>)}
              <option value="new">{t('aki.editor.newGroupOption')}</option>
            </select>
          </div>
          {nc.groupId === 'new' && (
            <>
              <label className="field">{t('aki.editor.groupCode')}<input value={nc.groupCode} onChange={(e) => setNc({ ...nc, groupCode: e.target.value })} /></label>
              <label className="field">{t('aki.editor.groupNameKk')}<input value={nc.groupName.kk} onChange={(e) => setNc({ ...nc, groupName: { ...nc.groupName, kk: e.target.value } })} /></label>
              <label className="field">{t('aki.editor.groupNameRu')}<input value={nc.groupName.ru} onChange={(e) => setNc({ ...nc, groupName: { ...nc.groupName, ru: e.target.value } })} /></label>
              <label className="field">{t('aki.editor.groupNameEn')}<input value={nc.groupName.en} onChange={(e) => setNc({ ...nc, groupName: { ...nc.groupName, en: e.target.value } })} /></label>
            </>
          )}
          <label className="field">{t('aki.editor.categoryCode')}<input value={nc.code} onChange={(e) => setNc({ ...nc, code: e.target.value })} /></label>
          <label className="field">{t('aki.editor.categoryNameKk')}<input value={nc.name.kk} onChange={(e) => setNc({ ...nc, name: { ...nc.name, kk: e.target.value } })} /></label>
          <label className="field">{t('aki.editor.categoryNameRu')}<input value={nc.name.ru} onChange={(e) => setNc({ ...nc, name: { ...nc.name, ru: e.target.value } })} /></label>
          <label className="field">{t('aki.editor.categoryNameEn')}<input value={nc.name.en} onChange={(e) => setNc({ ...nc, name: { ...nc.name, en: e.target.value } })} /></label>
          <div className="form-actions aki-wide"><button type="submit" className="btn btn-primary">{t('aki.editor.createCategory')}</button></div>
        </form>
      )}
    </section>
  );
}

export type { AkiRequirement };
