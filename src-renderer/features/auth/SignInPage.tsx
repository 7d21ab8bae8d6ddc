import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { pickFiles, rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { Field } from '../../ui/Field';
import { KeyPasswordDialog, NcaStorageSelect, ncaCodeOf } from './eds-key-ui';
import { errorText } from '../../ui/errors';
import type { AuthStatus } from '../../../src-shared/accounts/rpc';
import type { FileInfo } from '../../../src-shared/rpc/file-methods';
import type { NcaLayerStatus, NcaStorage } from '../../../src-shared/ncalayer/rpc';

type Mode = 'password' | 'ncalayer' | 'file';
const MODES: Mode[] = ['password', 'ncalayer', 'file'];
const codeOf = (e: unknown) => (e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '');

export function SignInPage() {
  const { t } = useTranslation();
  const auth = useApp((s) => s.auth);
  const baseId = useId();
  const [mode, setMode] = useState<Mode>('password');
  const [login, setLogin] = useState(auth?.user?.email ?? '');
  const [password, setPassword] = useState('');
  const [storage, setStorage] = useState<NcaStorage>('any');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** After eds_not_linked: link this way right after the password sign-in. */
  const [linkWith, setLinkWith] = useState<'ncalayer' | 'file' | null>(null);
  const [linkChecked, setLinkChecked] = useState(true);
  /** A picked key file waiting for its password, and what it is for. */
  const [keyFile, setKeyFile] = useState<{ file: FileInfo; purpose: 'signIn' | 'link' } | null>(null);
  /** Whether NCALayer answers, checked when its tab opens. */
  const [ncaStatus, setNcaStatus] = useState<NcaLayerStatus | null>(null);
  useEffect(() => {
    if (mode !== 'ncalayer') return;
    let live = true;
    setNcaStatus(null);
    rpc.call('ncalayer.status', {}).then((s) => live && setNcaStatus(s), () => undefined);
    return () => {
      live = false;
    };
  }, [mode]);
  /** The last failure happened while linking (the user stays signed out and may untick linking). */
  const [linkFailed, setLinkFailed] = useState(false);

  const finish = (status: AuthStatus) => useApp.setState({ auth: status });

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    setLinkFailed(false);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  function afterEdsError(err: unknown, via: 'ncalayer' | 'file') {
    if (codeOf(err) === 'eds_not_linked') {
      setLinkWith(via);
      setLinkChecked(true);
      setMode('password');
    }
  }

  async function submitPassword(e: FormEvent) {
    e.preventDefault();
    if (linkWith && linkChecked) {
      // Linking needs the key too: NCALayer asks for it now; a key file is picked first.
      if (linkWith === 'file') return chooseKeyFile('link');
      const r = await run(() => rpc.call('auth.signInAndLinkEds', { login, password, key: { source: 'ncalayer', storage } }));
      setPassword('');
      if (r) finish(r.status);
      else setLinkFailed(true);
      return;
    }
    const status = await run(() => rpc.call('auth.signIn', { login, password }));
    // The password is dropped as soon as the back end has answered.
    setPassword('');
    if (status) finish(status);
  }

  async function signInNca(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      finish(await rpc.call('auth.edsSignIn', { source: 'ncalayer', storage }));
    } catch (err) {
      setError(err);
      afterEdsError(err, 'ncalayer');
    } finally {
      setBusy(false);
    }
  }

  async function chooseKeyFile(purpose: 'signIn' | 'link') {
    const files = await run(() => pickFiles('p12'));
    const file = files?.[0];
    if (file) setKeyFile({ file, purpose });
  }

  async function signWithKeyFile(keyPassword: string) {
    const k = keyFile;
    setKeyFile(null);
    if (!k) return;
    if (k.purpose === 'link') {
      const r = await run(() => rpc.call('auth.signInAndLinkEds', { login, password, key: { source: 'file', handle: k.file.handle, password: keyPassword } }));
      setPassword('');
      if (r) finish(r.status);
      else setLinkFailed(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      finish(await rpc.call('auth.edsSignIn', { source: 'file', handle: k.file.handle, password: keyPassword }));
    } catch (err) {
      setError(err);
      afterEdsError(err, 'file');
    } finally {
      setBusy(false);
    }
  }

  // After eds_not_linked the notice above the form already says what to do.
  const errorBox = error !== null && !(linkWith && codeOf(error) === 'eds_not_linked') && (
    <div className="notice notice-error" role="alert">
      {linkFailed && <p>{t('eds.linkFailed')}</p>}
      <p>{errorText(t, error)}</p>
      {codeOf(error) === 'ncalayer_error' && ncaCodeOf(error) && <p className="small">{t('eds.ncaCode', { code: ncaCodeOf(error) })}</p>}
      {codeOf(error) === 'ncalayer_not_running' && (
        <p>
          <a href="https://ncl.pki.gov.kz" target="_blank" rel="noreferrer">
            {t('eds.installNcaLayer')}
          </a>
        </p>
      )}
    </div>
  );

  const tabId = (m: Mode) => `${baseId}-tab-${m}`;
  const panelId = `${baseId}-panel`;
  return (
    <section className="auth-page" aria-labelledby="signin-title">
      <div className="card auth-card">
        <h1 id="signin-title">{t('auth.title')}</h1>
        {auth?.sessionExpired ? (
          <p className="notice notice-warn" role="status">
            {t('auth.sessionExpired')}
          </p>
        ) : (
          <p className="lead">{t('auth.intro')}</p>
        )}
        <div className="tabs" role="tablist" aria-label={t('eds.methodLabel')}>
          {MODES.map((m) => (
            <button
              key={m}
              id={tabId(m)}
              type="button"
              role="tab"
              aria-selected={mode === m}
              aria-controls={panelId}
              tabIndex={mode === m ? 0 : -1}
              onClick={() => {
                setMode(m);
                setError(null);
              }}
              onKeyDown={(e) => {
                const i = MODES.indexOf(mode);
                const next = e.key === 'ArrowRight' ? MODES[(i + 1) % MODES.length] : e.key === 'ArrowLeft' ? MODES[(i + MODES.length - 1) % MODES.length] : null;
                if (next) {
                  setMode(next);
                  document.getElementById(tabId(next))?.focus();
                }
              }}
            >
              {t(`eds.mode.${m}`)}
            </button>
          ))}
        </div>
        <div id={panelId} role="tabpanel" aria-labelledby={tabId(mode)}>
          {mode === 'password' && (
            <form onSubmit={(e) => void submitPassword(e)} noValidate className="auth-form">
              {linkWith && (
                <p className="notice notice-warn" role="status">
                  {t('eds.linkNeeded')}
                </p>
              )}
              <Field label={t('auth.login')} name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
              <Field
                label={t('auth.password')}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
              {linkWith && (
                <p>
                  <label className="checkbox">
                    <input type="checkbox" checked={linkChecked} onChange={(e) => setLinkChecked(e.target.checked)} /> {t('eds.linkAfter')}
                  </label>
                </p>
              )}
              {errorBox}
              <button type="submit" className="btn btn-primary" disabled={busy || !login || !password}>
                {busy ? t('auth.signingIn') : t('auth.submit')}
              </button>
              <p className="muted small">{t('auth.demoHint')}</p>
            </form>
          )}
          {mode === 'ncalayer' && (
            <form onSubmit={(e) => void signInNca(e)} className="auth-form">
              <p>{t('eds.ncaIntro')}</p>
              {ncaStatus && error === null && (
                <p className={`notice ${ncaStatus.running ? 'notice-ok' : 'notice-warn'}`} role="status">
                  {ncaStatus.running ? t('eds.ncaRunning', { product: ncaStatus.product ?? 'NCALayer', version: ncaStatus.version ?? '' }) : t(`errors.${ncaStatus.error === 'ncalayer_tls_untrusted' ? 'ncalayer_tls_untrusted' : 'ncalayer_not_running'}`)}
                </p>
              )}
              <NcaStorageSelect id={`${baseId}-storage`} value={storage} onChange={setStorage} />
              {errorBox}
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {busy ? t('eds.waitingNca') : t('eds.signInNca')}
              </button>
            </form>
          )}
          {mode === 'file' && (
            <div className="auth-form">
              <p>{t('eds.keyFileIntro')}</p>
              {errorBox}
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void chooseKeyFile('signIn')}>
                {busy ? t('auth.signingIn') : t('eds.chooseFile')}
              </button>
            </div>
          )}
        </div>
      </div>
      <p className="auth-browse">
        <button
          type="button"
          className="btn"
          onClick={() => {
            // Published competitions need no account (SPEC §0): read-only, straight from the portal.
            useApp.setState({ publicBrowse: true });
            useApp.getState().navigate('competitions');
          }}
        >
          {t('auth.browse')}
        </button>
      </p>
      <KeyPasswordDialog file={keyFile?.file ?? null} onSubmit={(p) => void signWithKeyFile(p)} onCancel={() => setKeyFile(null)} />
    </section>
  );
}
