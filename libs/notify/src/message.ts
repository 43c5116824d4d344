import { SHANGHAI_OFFSET_MS } from '@county/domain';

/** What every channel renders from. */
export interface OutgoingMessage {
  /** Uuid of the delivery row; the receiver's de-duplication key (a retried send carries the same one). */
  deliveryId: string;
  /** E.g. 'deadline-reminder', 'escalation-level-3', 'urge'. */
  kind: string;
  /** Chinese. */
  title: string;
  /** Chinese, may be empty. */
  body: string;
  /** ISO time. */
  createdAt: string;
  /** Absolute URL to the item in the console, or null when PUBLIC_URL is unset. */
  link: string | null;
  /** The recipient unit's name, e.g. '城关镇'. */
  unitName: string;
}

/**
 * Why a send failed. `retryable` tells the outbox whether trying the same delivery again later can succeed (a busy
 * server, a network fault) or cannot (a rejected address, a refused destination, a bad robot key): the caller
 * retries only the first kind. `code` is stable and goes into the delivery row; the message is Chinese for the console.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export const SUBJECT_PREFIX = '【县级督办】';
export const EMAIL_FOOTER = '本邮件由县级改革任务督办系统自动发送，请勿直接回复。';

/** `YYYY-MM-DD HH:mm` in China time (no daylight saving, so the fixed offset the calendar uses is exact). */
export function chinaTime(iso: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return iso;
  return new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Header fields hold one line: a line break in a title would start a new header or a new paragraph. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links become clickable: the link comes from configuration, but a `javascript:` one must not run. */
function safeLink(link: string | null): string | null {
  return link !== null && /^https?:\/\//i.test(link) ? link : null;
}

export function renderEmail(message: OutgoingMessage): { subject: string; text: string; html: string } {
  const title = oneLine(message.title);
  const time = chinaTime(message.createdAt);
  const link = safeLink(message.link);
  const text = [
    `${message.unitName}：`,
    '',
    title,
    ...(message.body.trim() ? ['', message.body.trim()] : []),
    '',
    `时间：${time}`,
    ...(link ? [`查看详情：${link}`] : []),
    '',
    '——',
    EMAIL_FOOTER,
    '',
  ].join('\n');
  const paragraphs = message.body
    .trim()
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`);
  const html = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"></head>',
    '<body style="font-family: sans-serif; line-height: 1.6">',
    `<p>${escapeHtml(message.unitName)}：</p>`,
    `<h2 style="font-size: 18px">${escapeHtml(title)}</h2>`,
    ...paragraphs,
    `<p style="color: #666">时间：${escapeHtml(time)}</p>`,
    ...(link ? [`<p>查看详情：<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`] : []),
    `<hr><p style="color: #999; font-size: 12px">${escapeHtml(EMAIL_FOOTER)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject: `${SUBJECT_PREFIX}${title}`, text, html };
}

const ELLIPSIS = '…';

/**
 * The longest prefix of `text` that fits in `maxBytes` of UTF-8, ending in "…" when anything was cut. It cuts
 * between code points (a `for…of` walks them), so a Chinese character or an emoji is never split into bytes the
 * robot would refuse.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  let used = 0;
  let kept = '';
  for (const codePoint of text) {
    const size = Buffer.byteLength(codePoint, 'utf8');
    if (used + size > budget) break;
    used += size;
    kept += codePoint;
  }
  return budget < 0 ? '' : kept + ELLIPSIS;
}

/**
 * Robot markdown (企业微信 and 钉钉 both read this subset): title, unit, time, body, link, in at most `maxBytes`.
 * The body is what gets shortened, so the link to the full item survives a long body.
 */
export function renderMarkdown(message: OutgoingMessage, maxBytes: number): string {
  const link = safeLink(message.link);
  const head = [
    `**${SUBJECT_PREFIX}${oneLine(message.title)}**`,
    `> 单位：${oneLine(message.unitName)}`,
    `> 时间：${chinaTime(message.createdAt)}`,
  ].join('\n');
  const tail = link ? `[查看详情](${link})` : '';
  const body = message.body.trim();
  const join = (bodyText: string): string => [head, bodyText, tail].filter((part) => part !== '').join('\n\n');
  const whole = join(body);
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return whole;
  const fixed = Buffer.byteLength(join(''), 'utf8') + Buffer.byteLength('\n\n', 'utf8');
  const shortened = fixed < maxBytes ? join(truncateUtf8(body, maxBytes - fixed)) : whole;
  // A title alone longer than the limit: cut the whole text (the link may go, the message still arrives).
  return truncateUtf8(shortened, maxBytes);
}
