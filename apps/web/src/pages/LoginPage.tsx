import { FormEvent, useState } from 'react';
import { ApiError, errorMessage, post, setSession } from '../api';
import type { LoginRequest, LoginResponse } from '../api-types';
import { ErrorText } from '../components';

export function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginResponse>('/auth/login', {
        username: String(form.get('username')).trim(),
        password: String(form.get('password')),
      } satisfies LoginRequest);
      setSession({ accessToken: answer.accessToken, user: answer.user });
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.problem.status === 401 ? '用户名或密码不正确。' : errorMessage(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} className="card login-card">
        <h1>平罗县任务清单督办系统</h1>
        <label className="field">
          <span>用户名</span>
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label className="field">
          <span>密码</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '登录中…' : '登录'}
        </button>
      </form>
    </main>
  );
}
