import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorMessage, get, getPages, getSession, subscribeSession, Unit } from './api';
import type { ColleagueListResponse, ColleagueResponse, UnreadCountResponse } from './api-types';

/** How often lists refresh themselves; the supervision board reads as "live" at this pace. */
export const POLL_INTERVAL_MS = 3000;

export interface Polled<T> {
  data: T | null;
  error: string | null;
  /** Loads again now. It never fails: a failed load shows as `error`, so callers need not wait for it. */
  refresh: () => void;
}

/**
 * Loads now and then every few seconds while the tab is visible, so lists move without a reload; a hidden tab
 * stops polling and catches up as soon as it is shown again. `key` restarts the loop when the query changes.
 */
export function usePolling<T>(load: () => Promise<T>, key: string, intervalMs = POLL_INTERVAL_MS): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = generation.current;
    try {
      const next = await loadRef.current();
      // An answer for a query the page has moved on from must not overwrite the new one.
      if (mine !== generation.current) return;
      setData(next);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(errorMessage(caught));
    }
  }, []);

  useEffect(() => {
    generation.current += 1;
    setData(null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      if (!document.hidden) await reload();
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    const onVisibility = () => {
      if (!document.hidden) void reload();
    };
    // The loop schedules itself; reload catches its own errors (shown as `error`), so nothing here can reject.
    void tick();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [key, intervalMs, reload]);

  // Fire and forget by design: reload reports a failure through `error` and never rejects.
  const refresh = useCallback(() => void reload(), [reload]);
  return { data, error, refresh };
}

export function useSession() {
  return useSyncExternalStore(subscribeSession, getSession);
}

/** A minimal history router: the API serves index.html for every console path, so deep links work. */
const ROUTE_EVENT = 'county:navigate';

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new Event(ROUTE_EVENT));
}

function subscribeRoute(listener: () => void) {
  window.addEventListener('popstate', listener);
  window.addEventListener(ROUTE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(ROUTE_EVENT, listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribeRoute, () => location.pathname);
}

/** The query string of the console path (a search's words and filters live in the URL, so a result can be shared). */
export function useQueryString(): string {
  return useSyncExternalStore(subscribeRoute, () => location.search);
}

/** The unit registry, loaded once after login: every list names units by id. */
export const UnitsContext = createContext<Map<string, Unit>>(new Map());

export function useUnitName(): (id: string | null | undefined) => string {
  const units = useContext(UnitsContext);
  return (id) => (id ? (units.get(id)?.name ?? id) : '—');
}

export function useUnits(): Unit[] {
  // Units offered for new work: a retired unit keeps its name for old work but is never offered again.
  return [...useContext(UnitsContext).values()].filter((unit) => !unit.retired);
}

/** The signed-in user's colleagues (GET /colleagues), for naming a 承办人; loaded once per page. */
export function useColleagues(): ColleagueResponse[] {
  const [colleagues, setColleagues] = useState<ColleagueResponse[]>([]);
  useEffect(() => {
    let live = true;
    getPages<ColleagueListResponse>('/colleagues?limit=500')
      .then((list) => live && setColleagues(list.items))
      .catch(() => live && setColleagues([]));
    return () => {
      live = false;
    };
  }, []);
  return colleagues;
}

/** How often the header's 通知 badge asks again on its own (it also asks on every page change and after a read). */
export const UNREAD_POLL_MS = 30_000;
const NOTIFICATIONS_READ_EVENT = 'county:notifications-read';

/** Tells the header that the user marked something read, so its badge does not wait for the next poll. */
export function notificationsRead(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_READ_EVENT));
}

/**
 * The signed-in user's unread notification count (null until the first answer): asked again when the page
 * changes, every 30 s while the tab is visible, and right after `notificationsRead()`. A failed ask keeps the
 * last count: the badge is a hint, the 通知 page shows the errors.
 */
export function useUnreadCount(): number | null {
  const path = usePath();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    let latest = 0;
    const load = () => {
      const mine = ++latest;
      get<UnreadCountResponse>('/notifications/unread-count')
        .then((answer) => {
          // Only the newest question may set the badge: an older, slower answer may predate a read.
          if (live && mine === latest) setCount(answer.unreadCount);
        })
        .catch(() => undefined);
    };
    load();
    const timer = setInterval(() => {
      if (!document.hidden) load();
    }, UNREAD_POLL_MS);
    window.addEventListener(NOTIFICATIONS_READ_EVENT, load);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_READ_EVENT, load);
    };
  }, [path]);
  return count;
}
