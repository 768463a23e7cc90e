// SPDX-License-Identifier: MIT
// Đăng nhập: user name and password; a failure says why (wrong password,
// too many attempts, no connection) and keeps what was typed.
import { useState } from 'preact/hooks';
import { ApiError, login, type User } from '../api';
import { tr } from '../i18n';
import { ErrorBox, Field } from '../components/ui';

export function LoginPage({ onLogin }: { onLogin: (u: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await login(username.trim(), password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const msg =
    error instanceof ApiError && (error.status === 401 || error.status === 403)
      ? tr('Sai tên đăng nhập hoặc mật khẩu.', 'Wrong user name or password.')
      : error instanceof ApiError && error.status === 429
        ? tr('Đăng nhập sai quá nhiều lần, hãy đợi vài phút rồi thử lại.', 'Too many failed logins; wait a few minutes and try again.')
        : null;
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="page-title">
        <img src="/favicon.svg" alt="" width={56} height={56} />
        <h1 id="page-title" tabIndex={-1}>{tr('Đăng nhập', 'Log in')}</h1>
        <p class="muted">{tr('Hệ thống thông tin phong trào Toàn dân tham gia bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia', 'Information system of the All-People Border Guard movement')}</p>
        <Field label={tr('Tên đăng nhập', 'User name')} id="username">
          <input id="username" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field label={tr('Mật khẩu', 'Password')} id="password">
          <input id="password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        {msg ? <p class="error" role="alert">{msg}</p> : <ErrorBox error={error} />}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? tr('Đang đăng nhập…', 'Logging in…') : tr('Đăng nhập', 'Log in')}
        </button>
      </form>
    </main>
  );
}
