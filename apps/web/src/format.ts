/** Dates are shown in the county's time zone whatever the browser's is: deadlines are Beijing days. */
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const DATE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Beijing day of an instant ("2027/06/30"): a deadline is a day, its 23:59:59 adds nothing on the board. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? DATE.format(new Date(iso)) : '—';
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

/** "还剩 3 天" / "已逾期 2 小时": how urgent a due date is, at a glance. */
export function relativeDue(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '无固定时限';
  const diff = Date.parse(iso) - now;
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const amount =
    minutes < 1
      ? '不到 1 分钟'
      : minutes < 60
        ? `${minutes} 分钟`
        : minutes < 48 * 60
          ? `${Math.round(minutes / 60)} 小时`
          : `${Math.round(minutes / 1440)} 天`;
  return diff >= 0 ? `还剩 ${amount}` : `已逾期 ${amount}`;
}

/** "3 天" / "5 小时": how long something has been waiting (a 督办 item's age). */
export function formatAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return '不到 1 分钟';
  if (minutes < 60) return `${minutes} 分钟`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} 小时`;
  return `${Math.round(minutes / 1440)} 天`;
}

export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${Math.round(rate * 100)}%`;
}

/** A `datetime-local` value (the browser's local time) as an ISO instant; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const DAY = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

/** A Beijing calendar day in words ("2027年4月30日"): a deadline is a day, its hour says nothing to a reader. */
export function formatDay(iso: string | null | undefined): string {
  return iso ? DAY.format(new Date(iso)) : '—';
}
