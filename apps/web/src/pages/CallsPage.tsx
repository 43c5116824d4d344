import { FormEvent, useState } from 'react';
import { errorMessage, getPages, post, User } from '../api';
import { callButtons } from '../actions';
import { ActionButton, ActionSubject, ErrorText, LightBadge, Link, Loading } from '../components';
import { UnitName } from '../mine';
import { formatDateTime, relativeDue } from '../format';
import { useColleagues, usePolling, useUnits } from '../hooks';
import { HandlerText } from './TaskPage';
import { ATTACHMENT_ACCEPT, attached, chosenFiles, useUploader } from '../attachments';
import { ReopenedCall } from '../reports';
import { callStatusLabel, ratingLabel, urgencyLabel } from '../labels';
import type { CallListResponse, RaiseCallRequest } from '../api-types';

const OVERSEERS: User['roles'] = ['supervisor', 'leader', 'admin'];
const canRaise = (user: User) =>
  user.unit.kind === 'township' && (user.roles.includes('staff') || user.roles.includes('head'));

/** 乡呼县应: townships raise calls and evaluate; county units sign for and resolve them; others read. */
export function CallsPage({ user }: { user: User }) {
  const township = user.unit.kind === 'township';
  const overseer = OVERSEERS.some((role) => user.roles.includes(role));
  const filter = overseer ? '' : township ? `fromUnitId=${user.unitId}` : `toUnitId=${user.unitId}`;
  const calls = usePolling(() => getPages<CallListResponse>(`/calls?limit=500&${filter}`), filter);
  const colleagues = useColleagues();

  return (
    <section>
      <h1>乡呼县应</h1>
      {canRaise(user) && <RaiseCallForm onRaised={calls.refresh} />}
      <h2>{overseer ? '全部呼叫' : township ? '本乡镇发起的呼叫' : '呼叫本单位的事项'}</h2>
      {!calls.data ? (
        <Loading error={calls.error} />
      ) : calls.data.items.length === 0 ? (
        <p className="muted">暂无呼叫。</p>
      ) : (
        <div className="cards">
          {calls.data.items.map((call) => {
            const dueAt = call.status === 'raised' ? call.respondBy : call.resolveBy;
            const open = !['resolved', 'closed'].includes(call.status);
            return (
              <article className={`card item light-edge-${call.light}`} key={call.id} data-call={call.id}>
                <div className="item-head">
                  <LightBadge light={call.light} />
                  <span className="tag">{callStatusLabel(call.status)}</span>
                  {call.urgency === 'urgent' && <span className="tag urgent">{urgencyLabel(call.urgency)}</span>}
                  {call.flagged && <span className="tag urgent">挂牌督办</span>}
                </div>
                <h3>
                  <Link to={`/calls/${call.id}`}>{call.subject}</Link>
                </h3>
                <p>{call.description}</p>
                <p className="meta">
                  <span>
                    <UnitName id={call.fromUnitId} /> → <UnitName id={call.toUnitId} />
                  </span>
                  <span>发起：{formatDateTime(call.raisedAt)}</span>
                  {open && (
                    <span>
                      {call.status === 'raised' ? '签收时限' : '办结时限'}：{formatDateTime(dueAt)}（
                      {relativeDue(dueAt)}）
                    </span>
                  )}
                  {call.reworkCount > 0 && <span>返工 {call.reworkCount} 次</span>}
                </p>
                {call.responseNote && <p className="muted">签收说明：{call.responseNote}</p>}
                {call.resolution && <p className="muted">办理结果：{call.resolution}</p>}
                {call.rating && <p className="muted">评价：{ratingLabel(call.rating)}</p>}
                {call.status === 'reopened' && <ReopenedCall callId={call.id} />}
                <p className="meta" data-testid="handler">
                  承办人：
                  <HandlerText handler={call.handler} />
                </p>
                <ActionSubject.Provider value={`呼叫：${call.subject}`}>
                  <div className="actions">
                    {callButtons(call, colleagues).map((action) => (
                      <ActionButton key={action.label} action={action} onDone={calls.refresh} />
                    ))}
                  </div>
                </ActionSubject.Provider>
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}

function RaiseCallForm({ onRaised }: { onRaised: () => void }) {
  const countyUnits = useUnits().filter((unit) => unit.kind === 'county-dept');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useUploader();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const attachmentIds = await uploads.upload(chosenFiles(form));
      await post('/calls', {
        toUnitId: String(form.get('toUnitId')),
        subject: String(form.get('subject')).trim(),
        description: String(form.get('description')).trim(),
        urgency: String(form.get('urgency')) as RaiseCallRequest['urgency'],
        ...attached(attachmentIds),
      } satisfies RaiseCallRequest);
      formElement.reset();
      uploads.forget();
      setNotice('呼叫已发出，等待县级部门签收。');
      onRaised();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card raise-call" onSubmit={submit} aria-label="发起呼叫">
      <h2>发起呼叫</h2>
      <label className="field">
        <span>呼叫部门</span>
        <select name="toUnitId" required defaultValue="">
          <option value="" disabled>
            请选择县级部门
          </option>
          {countyUnits.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>事项</span>
        <input name="subject" required maxLength={200} placeholder="需要县级部门协助的事项" />
      </label>
      <label className="field">
        <span>情况说明</span>
        <textarea name="description" required rows={3} />
      </label>
      <label className="field">
        <span>紧急程度</span>
        <select name="urgency" defaultValue="normal">
          <option value="normal">一般</option>
          <option value="urgent">紧急</option>
        </select>
      </label>
      <label className="field">
        <span>佐证材料（可选，可多选）</span>
        <input name="files" type="file" multiple accept={ATTACHMENT_ACCEPT} />
      </label>
      {uploads.progress && (
        <p className="muted" role="status">
          {uploads.progress}
        </p>
      )}
      <ErrorText message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {uploads.progress ? '上传中…' : busy ? '发送中…' : '发起呼叫'}
      </button>
    </form>
  );
}
