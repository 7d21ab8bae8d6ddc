/**
 * The verification report as readable text (kk / ru / en): the lock state explained, then each
 * signature in signing order — signer, certificate, algorithm, claimed vs proven time, chain,
 * revocation, verdict with reasons — and the document facts (PDF/A claim, fillable fields, text
 * layer, serial with the portal's verification link). Reason codes are translated by REPORT_TEXTS.
 */
import { useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { DocumentInspection, SignerSummary } from '../../../src-shared/documents/model';
import type { Language } from '../../../src-shared/i18n';
import { modificationText, REPORT_TEXTS } from '../../../src-shared/signing/report-i18n';
import type { PdfSignatureInfo, SignatureReport } from '../../../src-shared/signing/report';
import { formatDate, formatDateTime } from '../../../src-shared/time/almaty';
import { useApp } from '../../app/store';
import '../../styles/documents.css';
import { DIGEST_LABELS } from '../../../src-shared/signing/oids';

const textsOf = (lang: string) => REPORT_TEXTS[(lang in REPORT_TEXTS ? lang : 'ru') as Language];

/** A reason code in words: the report's own table, else the code itself (never a blank). */
export function reasonText(lang: string, code: string): string {
  const r = textsOf(lang).reasons as Record<string, string>;
  return r[code] ?? code;
}

function SignatureBlock({ s, report, lang }: { s: SignerSummary; report: (SignatureReport & { pdf?: PdfSignatureInfo }) | undefined; lang: Language }) {
  const { t } = useTranslation();
  const R = textsOf(lang);
  const c = s.certificate;
  const status = (k: string | undefined) => (k ? ((R.status as Record<string, string>)[k] ?? k) : '—');
  const chain = report?.chain.anchorKind === 'test' ? t('documents.panel.chainTest') : status(report?.chain.status);
  const roles = c?.roles.map((r) => (R.roles as Record<string, string>)[r] ?? r).join(', ');
  const alg = c ? ((R.algorithm as Record<string, string>)[c.algorithm] ?? c.algorithm) : '—';
  return (
    <li className="verify-sig">
      <h3>
        {t('documents.panel.signatureN', { n: s.index + 1 })}: <span className={`verdict verdict-${s.verdict}`}>{R.verdict[s.verdict]}</span>
      </h3>
      {!c && <p>{t('documents.panel.noCertificate')}</p>}
      <dl className="verify-facts">
        {c && (
          <>
            <dt>{R.labels.signer}</dt><dd>{c.owner}</dd>
            {c.iin && (<><dt>{R.labels.iin}</dt><dd>{c.iin}</dd></>)}
            {c.bin && (<><dt>{R.labels.bin}</dt><dd>{c.bin}</dd></>)}
            {c.organization && (<><dt>{R.labels.organization}</dt><dd>{c.organization}</dd></>)}
            {roles && (<><dt>{R.labels.roles}</dt><dd>{roles}</dd></>)}
            <dt>{t('documents.panel.certificate')}</dt>
            <dd>
              {t('documents.panel.validity', { from: formatDate(c.notBefore, lang), to: formatDate(c.notAfter, lang) })}
              {report?.validityNow && report.validityNow !== 'valid' ? ` (${status(report.validityNow)})` : ''}
            </dd>
            <dt>{R.labels.issuer}</dt><dd>{c.issuer}</dd>
            <dt>{R.labels.algorithm}</dt><dd>{alg}</dd>
          </>
        )}
        <dt>{t('documents.panel.digest')}</dt><dd>{DIGEST_LABELS[s.digestAlgorithm] ?? s.digestAlgorithm}</dd>
        <dt>{R.labels.claimedTime}</dt><dd>{s.claimedTime ? formatDateTime(s.claimedTime, lang) : '—'}</dd>
        <dt>{R.labels.signingTime}</dt><dd>{s.timestampTime ? formatDateTime(s.timestampTime, lang) : t('documents.panel.noTimestamp')}</dd>
        <dt>{R.labels.chain}</dt><dd>{chain}</dd>
        <dt>{R.labels.revocation}</dt><dd>{status(report?.revocation.status)}</dd>
        {report?.pdf && (<><dt>{R.labels.laterChanges}</dt><dd>{status(report.pdf.changesAfter.kind)}</dd></>)}
        {(report?.pdf?.changesAfter.modifications?.length ?? 0) > 0 && (
          <><dt>{R.labels.modifications}</dt><dd>{report!.pdf!.changesAfter.modifications.map((m) => modificationText(R, m)).join('; ')}</dd></>
        )}
      </dl>
      {s.reasons.length > 0 && (
        <ul className="verify-reasons" aria-label={R.labels.reasons}>
          {s.reasons.map((r) => <li key={r}>{reasonText(lang, r)}</li>)}
        </ul>
      )}
    </li>
  );
}

export function VerificationPanel({ inspection: d, headingLevel = 2 }: { inspection: DocumentInspection; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const info = useApp((s) => s.info);
  const titleId = useId();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const reasons = d.lock.reasons.map((r) => reasonText(lang, r)).join(' ');
  const pdfa = d.pdf?.pdfa;
  const verifyUrl = d.serial && info?.portalUrl ? `${info.portalUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(d.serial)}` : null;
  return (
    <section className="verify-panel" aria-labelledby={titleId}>
      <H id={titleId}>{t('documents.panel.title')}</H>
      <p className={`verify-lock verify-lock-${d.lock.state}`} role="status">
        <strong>{t('documents.panel.lockTitle')}: </strong>
        {t(`documents.panel.lock.${d.lock.state}`, { reasons })}
      </p>
      {d.signers.length > 0 && (
        <>
          <h3>{t('documents.panel.signatures', { count: d.signers.length })}</h3>
          <ol className="verify-sigs">
            {d.signers.map((s) => (
              <SignatureBlock key={s.index} s={s} report={d.report?.signatures.find((r) => r.index === s.index)} lang={lang} />
            ))}
          </ol>
        </>
      )}
      <h3>{t('documents.panel.document')}</h3>
      <dl className="verify-facts">
        {d.serial && (
          <>
            <dt>{t('documents.panel.serial')}</dt>
            <dd>
              <code>{d.serial}</code>
              {verifyUrl && (
                <>
                  {' · '}
                  <a href={verifyUrl} target="_blank" rel="noreferrer">{t('documents.panel.verifyLink')}</a>
                </>
              )}
            </dd>
          </>
        )}
        {d.pdf && (
          <>
            <dt>{t('documents.panel.pages')}</dt><dd>{d.pdf.pages}</dd>
            <dt>PDF/A</dt>
            <dd>
              {pdfa
                ? t(pdfa.outputIntent && pdfa.fontsEmbedded ? 'documents.panel.pdfaClaim' : 'documents.panel.pdfaClaimFailed', { part: pdfa.part, conformance: (pdfa.conformance ?? '').toLowerCase() })
                : t('documents.panel.noPdfa')}
            </dd>
            <dt>{R_LABEL_FORM(lang)}</dt>
            <dd>{d.pdf.fillableFields > 0 ? t('documents.panel.fillable', { count: d.pdf.fillableFields }) : t('documents.panel.noFillable')}</dd>
            <dt>{t('documents.panel.textLayer')}</dt>
            <dd>{d.pdf.textChars > 0 ? t('documents.panel.textChars', { count: d.pdf.textChars, language: t(`documents.panel.textLanguage.${d.pdf.textLanguage}`) }) : t('documents.panel.noText')}</dd>
            {d.pdf.encrypted && (<><dt>{t('documents.panel.problems')}</dt><dd>{t('documents.panel.encrypted')}</dd></>)}
          </>
        )}
      </dl>
      {d.problems.length > 0 && (
        <ul className="verify-reasons" aria-label={t('documents.panel.problems')}>
          {d.problems.map((p) => <li key={p}>{t(`documents.panel.problem.${p}`, { defaultValue: reasonText(lang, p) })}</li>)}
        </ul>
      )}
      <p className="muted small">{t('documents.panel.inspectedAt', { time: formatDateTime(d.inspectedAt, lang) })}</p>
    </section>
  );
}

const R_LABEL_FORM = (lang: string) => textsOf(lang).labels.formFields;

/** The panel in a modal (opened from a badge): focus trapped by <dialog>, Escape closes. */
export function VerificationDialog({ inspection, name, onClose }: { inspection: DocumentInspection; name: string; onClose(): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  // In <body>, not inside the form that opened it (a form in a form submits natively).
  return createPortal(
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2 id={titleId}>{t('documents.reportFor', { name })}</h2>
      <VerificationPanel inspection={inspection} headingLevel={3} />
      <div className="dialog-actions">
        <a className="btn" href={`#/document/${inspection.sha256}/${encodeURIComponent(name)}`} onClick={onClose}>{t('documents.open')}</a>
        <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>{t('common.close')}</button>
      </div>
    </dialog>,
    document.body,
  );
}
