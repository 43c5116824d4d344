import { FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, get, post, setSession } from '../api';
import type { LoginOptionsResponse, LoginRequest, LoginResponse } from '../api-types';
import { ErrorText } from '../components';

/** Where the identity provider sends the browser back (OIDC_REDIRECT_URL points here; README, 统一身份认证). */
export const OIDC_RETURN_PATH = '/login/oidc';

/**
 * The page the user asked for before 统一身份认证 took the browser away (a deep link from a notice, a colleague's
 * message): kept in this tab's sessionStorage across the round trip and opened after the login. Only a console
 * path is accepted back, never another site (//host) or the login pages themselves.
 */
const RETURN_KEY = 'county.returnTo';

function rememberReturnPath(): void {
  const here = location.pathname + location.search;
  if (location.pathname !== OIDC_RETURN_PATH) sessionStorage.setItem(RETURN_KEY, here);
}

function takeReturnPath(): string {
  const stored = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  if (!stored || !stored.startsWith('/') || stored.startsWith('//') || stored.startsWith('/login')) return '/';
  return stored;
}

export function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<LoginOptionsResponse['oidc']>(null);
  const finishing = useRef(false);

  useEffect(() => {
    get<LoginOptionsResponse>('/auth/options')
      .then((options) => setSso(options.oidc))
      .catch(() => setSso(null));
  }, []);

  // Back from the identity provider: hand its answer (code, state) to the API, which checks it against this
  // browser's login cookie and answers the same session as a password login.
  useEffect(() => {
    if (location.pathname !== OIDC_RETURN_PATH || finishing.current) return;
    finishing.current = true;
    const query = location.search;
    // The code is single-use and must not stay in the address bar or the history; the page asked for takes its place.
    history.replaceState(null, '', takeReturnPath());
    setBusy(true);
    get<LoginResponse>(`/auth/oidc/callback${query}`)
      .then((answer) => setSession({ accessToken: answer.accessToken, user: answer.user }))
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  }, []);

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
        {sso && (
          // A full navigation: the API sets the login cookie and redirects to the identity provider.
          <a className="button sso-button" href={sso.loginPath} data-testid="sso-login" onClick={rememberReturnPath}>
            {sso.label}
          </a>
        )}
      </form>
    </main>
  );
}
