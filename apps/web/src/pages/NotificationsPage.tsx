import { MouseEvent, useState } from 'react';
import { errorMessage, getPages, post } from '../api';
import { ErrorText, LoadMore, Loading } from '../components';
import { formatDateTime } from '../format';
import { navigate, notificationsRead, usePolling } from '../hooks';
import { notificationKindLabel, notificationKindOptions } from '../labels';
import type { MarkAllReadResponse, NotificationListResponse, NotificationResponse } from '../api-types';

/** One page of the centre; 加载更多 adds the next (older) page. */
const PAGE_SIZE = 100;
const REFRESH_MS = 10_000;

/**
 * 通知: the user's notifications, newest first (the API's order), with their own read state. Clicking one marks
 * it read and opens its item inside the console; the header's badge is told after every read.
 */
export function NotificationsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [kind, setKind] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // How many pages the list shows: it grows with 加载更多 and starts again when a filter changes.
  const [pages, setPages] = useState(1);
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE),
    ...(unreadOnly ? { unread: 'true' } : {}),
    ...(kind ? { kind } : {}),
  });
  const list = usePolling(
    () => getPages<NotificationListResponse>(`/notifications?${query}`, pages),
    `${query.toString()}&pages=${pages}`,
    REFRESH_MS,
  );

  const markRead = async (item: NotificationResponse) => {
    await post(`/notifications/${item.id}/read`);
    notificationsRead();
  };

  const onMarkRead = async (item: NotificationResponse) => {
    setError(null);
    setNotice(null);
    try {
      await markRead(item);
      list.refresh();
    } catch (caught) {
      setError(`标为已读失败：${errorMessage(caught)}`);
    }
  };

  const onOpen = async (event: MouseEvent<HTMLAnchorElement>, item: NotificationResponse) => {
    // A modified click opens the link in a new tab as any link does (that tab does not mark it read).
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (!item.readAt) {
      // The item is what the user came for: a failed mark (e.g. a network blip) must not keep them from it.
      await markRead(item).catch(() => undefined);
    }
    navigate(item.link);
  };

  const onMarkAll = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { marked } = await post<MarkAllReadResponse>('/notifications/read-all');
      notificationsRead();
      setNotice(marked > 0 ? `已将 ${marked} 条通知标为已读。` : '没有未读通知。');
      list.refresh();
    } catch (caught) {
      setError(`全部标为已读失败：${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  const unreadCount = list.data?.unreadCount ?? 0;
  return (
    <section>
      <h1>通知 {unreadCount > 0 && <span className="count">{unreadCount} 条未读</span>}</h1>
      <div className="filters">
        <div role="group" aria-label="阅读状态" className="segmented">
          <button type="button" aria-pressed={!unreadOnly} onClick={() => (setUnreadOnly(false), setPages(1))}>
            全部
          </button>
          <button type="button" aria-pressed={unreadOnly} onClick={() => (setUnreadOnly(true), setPages(1))}>
            未读
          </button>
        </div>
        <label>
          类型
          <select value={kind} onChange={(event) => (setKind(event.target.value), setPages(1))}>
            <option value="">全部类型</option>
            {notificationKindOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void onMarkAll()} disabled={busy || unreadCount === 0}>
          {busy ? '提交中…' : '全部标为已读'}
        </button>
      </div>
      <ErrorText message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {!list.data ? (
        <Loading error={list.error} />
      ) : (
        <>
          {list.error && <p className="error">刷新失败：{list.error}</p>}
          {list.data.items.length === 0 ? (
            <p className="muted">暂无通知</p>
          ) : (
            <ul className="notifications" data-testid="notifications">
              {list.data.items.map((item) => (
                <li
                  key={item.id}
                  data-notification={item.id}
                  data-unread={item.readAt ? undefined : 'true'}
                  className={item.readAt ? 'card notification' : 'card notification unread'}
                >
                  <div className="item-head">
                    {!item.readAt && (
                      <span className="unread-dot" title="未读">
                        <span className="sr-only">未读</span>
                      </span>
                    )}
                    <span className="tag">{notificationKindLabel(item.kind)}</span>
                    <span className="muted small">{formatDateTime(item.createdAt)}</span>
                  </div>
                  <h3>
                    <a href={item.link} onClick={(event) => void onOpen(event, item)}>
                      {item.title}
                    </a>
                  </h3>
                  {item.body && <p className="notification-body">{item.body}</p>}
                  {!item.readAt && (
                    <div className="actions">
                      <button type="button" onClick={() => void onMarkRead(item)}>
                        标为已读
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
          <LoadMore more={list.data.more} onMore={() => setPages(pages + 1)} />
        </>
      )}
    </section>
  );
}
