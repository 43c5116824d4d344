import { FormEvent, useState } from 'react';
import { errorMessage, getPages, post, User } from '../api';
import type { DelegationListResponse, DelegationRequest } from '../api-types';
import { ErrorText, Loading } from '../components';
import { formatDateTime, localInputToIso } from '../format';
import { useColleagues, usePolling } from '../hooks';

/**
 * 委派: a head hands their sign-off (审核通过 / 退回) to a colleague of the unit for a window; both see it here.
 * Who may delegate to whom is the server's rule (decideDelegation); its answer names what is wrong.
 */
export function DelegationPage({ user }: { user: User }) {
  const delegations = usePolling(() => getPages<DelegationListResponse>('/delegations?limit=500'), 'delegations');
  const colleagues = useColleagues().filter(
    (colleague) => colleague.id !== user.id && !colleague.roles.includes('head'),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isHead = user.roles.includes('head');

  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await send();
      delegations.refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const startsAt = localInputToIso(String(form.get('startsAt')));
    const endsAt = localInputToIso(String(form.get('endsAt')));
    if (!startsAt || !endsAt) {
      setError('请填写有效的开始和结束时间。');
      return;
    }
    void run(() =>
      post('/delegations', {
        deputyUserId: String(form.get('deputyUserId')),
        startsAt,
        endsAt,
      } satisfies DelegationRequest),
    );
  };

  return (
    <section>
      <h1>委派</h1>
      <p className="muted">
        负责人外出期间，可将审核（通过、退回）委派给本单位同事，期满自动结束；审核记录同时记载双方姓名。
      </p>
      {isHead && (
        <form onSubmit={submit} className="card" aria-label="委派审核">
          <div className="field">
            <label htmlFor="deputyUserId">受委派人</label>
            <select id="deputyUserId" name="deputyUserId" required>
              {colleagues.map((colleague) => (
                <option key={colleague.id} value={colleague.id}>
                  {colleague.displayName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="startsAt">开始时间</label>
            <input id="startsAt" name="startsAt" type="datetime-local" required />
          </div>
          <div className="field">
            <label htmlFor="endsAt">结束时间</label>
            <input id="endsAt" name="endsAt" type="datetime-local" required />
          </div>
          <button type="submit" disabled={busy}>
            委派
          </button>
        </form>
      )}
      <ErrorText message={error} />
      <h2>进行中和待开始的委派</h2>
      {!delegations.data ? (
        <Loading error={delegations.error} />
      ) : delegations.data.items.length === 0 ? (
        <p className="muted">暂无委派。</p>
      ) : (
        <ul className="plain-list" data-testid="delegations">
          {delegations.data.items.map((delegation) => (
            <li key={delegation.id}>
              {delegation.headName} → {delegation.deputyName}：{formatDateTime(delegation.startsAt)} 至{' '}
              {formatDateTime(delegation.endsAt)}
              {delegation.active ? '（生效中）' : '（未开始）'}
              {delegation.allowedActions.includes('revoke') && (
                <button
                  type="button"
                  className="link-button"
                  disabled={busy}
                  onClick={() => void run(() => post(`/delegations/${delegation.id}/revoke`))}
                >
                  撤销
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
