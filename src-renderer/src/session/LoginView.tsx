import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { loginErrorText, type LoginError } from './login-error';

export function LoginView(props: {
  error: LoginError | null;
  busy: boolean;
  onLogin(userName: string, password: string): void;
}) {
  const { t } = useI18n();
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (userName.trim() && password) props.onLogin(userName.trim(), password);
  };
  return (
    <form className="panel login" onSubmit={submit} data-testid="login-form">
      <h2>{t('login.title')}</h2>
      <label>
        {t('login.userName')}
        <input
          autoFocus
          data-testid="login-user"
          value={userName}
          onChange={(e) => setUserName(e.target.value)}
          autoComplete="username"
          placeholder="441900106.dispatcher"
        />
      </label>
      <label>
        {t('login.password')}
        <input
          data-testid="login-password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
      </label>
      {props.error && (
        <p
          className="error"
          role="alert"
          data-testid="login-error"
          data-code={props.error.code}
          title={`${t('login.error.details')}: ${props.error.code} ${props.error.message}`}
        >
          {loginErrorText(t, props.error)}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        disabled={props.busy || !userName.trim() || !password}
        data-testid="login-submit"
      >
        {props.busy ? t('login.busy') : t('login.submit')}
      </button>
      <p className="muted small">{t('login.hint')}</p>
    </form>
  );
}
