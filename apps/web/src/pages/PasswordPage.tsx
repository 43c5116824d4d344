import { FormEvent, useState } from 'react';
import { errorMessage, getSession, post, setSession } from '../api';
import type { ChangePasswordRequest, LoginResponse } from '../api-types';
import { ErrorText } from '../components';
import { navigate } from '../hooks';

/**
 * 修改密码. After a login with a one-time password it is the only page (`forced`): the API refuses everything
 * else until the password is changed. The rules are the server's (its answer names the one broken).
 */
export function PasswordPage({ forced = false }: { forced?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('newPassword'));
    if (newPassword !== String(form.get('confirmPassword'))) {
      setError('两次输入的新密码不一致。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginResponse>('/auth/password', {
        currentPassword: String(form.get('currentPassword')),
        newPassword,
      } satisfies ChangePasswordRequest);
      // Every earlier token was revoked with the old password; the answer carries the new one.
      setSession({ accessToken: answer.accessToken, user: answer.user });
      setDone(true);
      if (forced) navigate('/');
    } catch (caught) {
      setError(errorMessage(caught).replace(/^(currentPassword|newPassword): /, ''));
    } finally {
      setBusy(false);
    }
  };

  const session = getSession();
  return (
    <section className={forced ? 'login' : undefined}>
      <form onSubmit={submit} className="card login-card" aria-label="修改密码">
        <h1>修改密码</h1>
        {forced && (
          <p className="notice" role="status">
            您使用的是管理员设置的一次性密码，请先设置自己的密码再继续使用系统。
          </p>
        )}
        {done && !forced && (
          <p className="notice" role="status">
            密码已修改，其他设备上的登录已失效。
          </p>
        )}
        <div className="field">
          <label htmlFor="currentPassword">{forced ? '一次性密码' : '当前密码'}</label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
        </div>
        <div className="field">
          <label htmlFor="newPassword">新密码</label>
          <input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required />
        </div>
        <div className="field">
          <label htmlFor="confirmPassword">再次输入新密码</label>
          <input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" required />
        </div>
        <p className="muted small">至少 10 个字符，不能包含用户名，不能是常见密码。</p>
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '提交中…' : '修改密码'}
        </button>
        {forced && session && (
          <button type="button" className="link-button" onClick={() => setSession(null)}>
            退出
          </button>
        )}
      </form>
    </section>
  );
}
