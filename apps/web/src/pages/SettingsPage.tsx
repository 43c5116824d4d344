import { FormEvent, useEffect, useState } from 'react';
import { apiRequest, ApiError, errorMessage, get } from '../api';
import type { NotificationSettingsRequest, NotificationSettingsResponse } from '../api-types';
import { ErrorText, Loading } from '../components';
import { NOTIFICATION_CATEGORIES, notificationCategoryLabel } from '../labels';

type Category = (typeof NOTIFICATION_CATEGORIES)[number];

/** A problem document's field errors in one line each, so a bad e-mail is named rather than "请求无效". */
export function problemFields(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const errors = (error.problem as { errors?: Array<{ field?: string; problems?: string[] }> }).errors ?? [];
  return Object.fromEntries(errors.map((item) => [item.field ?? '', (item.problems ?? []).join('；')]));
}

/** 通知设置: where the user's notifications are pushed besides the console, and which kinds. */
export function SettingsPage() {
  const [loaded, setLoaded] = useState<NotificationSettingsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [chosen, setChosen] = useState<Set<Category>>(new Set(NOTIFICATION_CATEGORIES));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const apply = (settings: NotificationSettingsResponse) => {
    setLoaded(settings);
    setEmail(settings.email ?? '');
    setPhone(settings.phone ?? '');
    // null means every category, today's and any added later.
    setChosen(new Set(settings.categories ?? NOTIFICATION_CATEGORIES));
  };

  useEffect(() => {
    get<NotificationSettingsResponse>('/me/notification-settings')
      .then(apply)
      .catch((caught) => setLoadError(errorMessage(caught)));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    setFieldErrors({});
    const all = NOTIFICATION_CATEGORIES.every((category) => chosen.has(category));
    try {
      const answer = await apiRequest<NotificationSettingsResponse>('PUT', '/me/notification-settings', {
        email: email.trim() || null,
        phone: phone.trim() || null,
        // Everything ticked is saved as null, so a category added later is pushed too.
        categories: all ? null : NOTIFICATION_CATEGORIES.filter((category) => chosen.has(category)),
      } satisfies NotificationSettingsRequest);
      apply(answer);
      setSaved(true);
    } catch (caught) {
      setFieldErrors(problemFields(caught));
      setError(`保存失败：${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  if (!loaded) return <Loading error={loadError} />;
  const toggle = (category: Category) => {
    const next = new Set(chosen);
    if (next.has(category)) next.delete(category);
    else next.add(category);
    setChosen(next);
    setSaved(false);
  };
  return (
    <section>
      <h1>通知设置</h1>
      <p className="muted">
        通知始终显示在本系统的“通知”页；下面勾选的类别还会发送到您的电子邮箱。三级督办与紧急呼叫随时推送，其余通知只在工作日
        08:30–18:00 推送，非工作时间产生的通知顺延到下一个工作时段。
      </p>
      <form onSubmit={submit} className="settings-form">
        <div className="field">
          <label htmlFor="settings-email">电子邮箱</label>
          <input
            id="settings-email"
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder="例如 zhang.san@pingluo.gov.cn"
          />
          <ErrorText message={fieldErrors.email} />
        </div>
        <div className="field">
          <label htmlFor="settings-phone">手机号码</label>
          <input
            id="settings-phone"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
            placeholder="例如 13909520000"
          />
          <ErrorText message={fieldErrors.phone} />
        </div>
        <fieldset>
          <legend>推送的通知类别</legend>
          {NOTIFICATION_CATEGORIES.map((category) => (
            <label key={category} className="check">
              <input
                type="checkbox"
                name="categories"
                value={category}
                checked={chosen.has(category)}
                onChange={() => toggle(category)}
              />
              {notificationCategoryLabel(category)}
            </label>
          ))}
          <ErrorText message={fieldErrors.categories} />
        </fieldset>
        <ErrorText message={error} />
        {saved && (
          <p className="notice" role="status">
            已保存。
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '保存中…' : '保存'}
        </button>
      </form>
    </section>
  );
}
