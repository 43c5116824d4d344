import {
  chinaTime,
  DeliveryError,
  escapeHtml,
  OutgoingMessage,
  renderEmail,
  renderMarkdown,
  truncateUtf8,
} from './message';

const MESSAGE: OutgoingMessage = {
  deliveryId: '6f1c2a8e-3b7d-4c1e-9a53-2f8b7d0e4c11',
  kind: 'deadline-reminder',
  title: '“优化营商环境”任务将于明天到期',
  body: '请于 6 月 30 日前提交完成情况报告。\n\n如需延期，请在系统中申请。',
  createdAt: '2026-06-29T01:05:00.000Z',
  link: 'https://duban.example.gov.cn/tasks/42',
  unitName: '城关镇',
};

describe('rendering', () => {
  it('shows times in China time', () => {
    expect(chinaTime('2026-06-29T01:05:00.000Z')).toBe('2026-06-29 09:05');
    expect(chinaTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
    expect(chinaTime('not a time')).toBe('not a time');
  });

  it('renders an e-mail with the unit, title, body, time, link and footer', () => {
    const { subject, text, html } = renderEmail(MESSAGE);
    expect(subject).toBe('【县级督办】“优化营商环境”任务将于明天到期');
    expect(text).toBe(
      [
        '城关镇：',
        '',
        '“优化营商环境”任务将于明天到期',
        '',
        '请于 6 月 30 日前提交完成情况报告。\n\n如需延期，请在系统中申请。',
        '',
        '时间：2026-06-29 09:05',
        '查看详情：https://duban.example.gov.cn/tasks/42',
        '',
        '——',
        '本邮件由县级改革任务督办系统自动发送，请勿直接回复。',
        '',
      ].join('\n'),
    );
    expect(html).toContain('<p>请于 6 月 30 日前提交完成情况报告。</p>');
    expect(html).toContain('<a href="https://duban.example.gov.cn/tasks/42">');
    expect(html).toContain('本邮件由县级改革任务督办系统自动发送，请勿直接回复。');
  });

  it('leaves out the link line without a link and the body paragraph without a body', () => {
    const { text, html } = renderEmail({ ...MESSAGE, link: null, body: '' });
    expect(text).not.toContain('查看详情');
    expect(html).not.toContain('<a ');
    expect(text.split('\n').slice(0, 5)).toEqual([
      '城关镇：',
      '',
      '“优化营商环境”任务将于明天到期',
      '',
      '时间：2026-06-29 09:05',
    ]);
  });

  it('escapes HTML and keeps a title to one line in the subject', () => {
    const { subject, html } = renderEmail({
      ...MESSAGE,
      title: '<script>alert(1)</script>\r\nBcc: x@evil.cn',
      body: 'a & b <img src=x onerror=alert(1)>',
      unitName: '"城关镇"',
    });
    expect(subject).toBe('【县级督办】<script>alert(1)</script> Bcc: x@evil.cn');
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &amp; b &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;城关镇&quot;');
  });

  it('escapes every character that could leave an HTML text or attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('never makes a non-http link clickable', () => {
    const { text, html } = renderEmail({ ...MESSAGE, link: 'javascript:alert(1)' });
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
  });

  it('renders robot markdown with the link last', () => {
    expect(renderMarkdown(MESSAGE, 4096)).toBe(
      [
        '**【县级督办】“优化营商环境”任务将于明天到期**',
        '> 单位：城关镇',
        '> 时间：2026-06-29 09:05',
        '',
        '请于 6 月 30 日前提交完成情况报告。\n\n如需延期，请在系统中申请。',
        '',
        '[查看详情](https://duban.example.gov.cn/tasks/42)',
      ].join('\n'),
    );
  });

  it('shortens the body, not the link, to fit the byte limit', () => {
    const content = renderMarkdown({ ...MESSAGE, body: '督办'.repeat(3000) }, 4096);
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(content, 'utf8')).toBeGreaterThan(4090);
    expect(content).toContain('督…');
    expect(content.endsWith('[查看详情](https://duban.example.gov.cn/tasks/42)')).toBe(true);
  });

  it('cuts a title that alone exceeds the limit', () => {
    const content = renderMarkdown({ ...MESSAGE, title: '长'.repeat(5000) }, 4096);
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(content.endsWith('…')).toBe(true);
  });
});

describe('truncateUtf8', () => {
  it('keeps text that fits', () => {
    expect(truncateUtf8('城关镇', 9)).toBe('城关镇');
  });

  it('cuts on a character boundary and adds an ellipsis', () => {
    // Each Chinese character is 3 bytes, "…" too: 10 bytes hold two characters and the ellipsis.
    expect(truncateUtf8('城关镇人民政府', 10)).toBe('城关…');
    expect(truncateUtf8('城关镇人民政府', 11)).toBe('城关…');
    expect(truncateUtf8('城关镇人民政府', 12)).toBe('城关镇…');
  });

  it('never splits an emoji (a surrogate pair, 4 bytes)', () => {
    const cut = truncateUtf8('👍👍👍', 9);
    expect(cut).toBe('👍…');
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
  });

  it('gives nothing when not even the ellipsis fits', () => {
    expect(truncateUtf8('城关镇', 2)).toBe('');
  });
});

describe('DeliveryError', () => {
  it('carries whether to retry and a code', () => {
    const error = new DeliveryError('邮件服务器拒收', false, 'smtp-rejected');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DeliveryError');
    expect([error.message, error.retryable, error.code]).toEqual(['邮件服务器拒收', false, 'smtp-rejected']);
  });
});
