import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { Field } from '../../ui/Field';
import { errorText } from '../../ui/errors';

export function SignInPage() {
  const { t } = useTranslation();
  const auth = useApp((s) => s.auth);
  const [login, setLogin] = useState(auth?.user?.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const status = await rpc.call('auth.signIn', { login, password });
      // The password is dropped as soon as the back end has answered.
      setPassword('');
      useApp.setState({ auth: status });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="auth-page" aria-labelledby="signin-title">
      <form className="card auth-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1 id="signin-title">{t('auth.title')}</h1>
        {auth?.sessionExpired ? (
          <p className="notice notice-warn" role="status">
            {t('auth.sessionExpired')}
          </p>
        ) : (
          <p className="lead">{t('auth.intro')}</p>
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
        {error !== null && (
          <p className="notice notice-error" role="alert">
            {errorText(t, error)}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy || !login || !password}>
          {busy ? t('auth.signingIn') : t('auth.submit')}
        </button>
        <p className="muted small">{t('auth.demoHint')}</p>
      </form>
    </section>
  );
}
