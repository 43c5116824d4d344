import { digestDedupeKey, digestNotification } from './daily-digest';
import { NotificationKind } from './notification-delivery';

const finance = { id: 'finance', name: '县财政局' };

describe('the daily digest', () => {
  it('says every count in Chinese, for the whole unit', () => {
    const notification = digestNotification(finance, { newWork: 2, dueSoon: 1, overdue: 1, urges: 1 }, '2026-12-03');
    expect(notification).toEqual({
      recipientUnitId: 'finance',
      recipientRole: null,
      kind: NotificationKind.DailyDigest,
      subjectType: 'unit',
      subjectId: 'finance',
      title: '每日摘要（12月3日）：新任务 2 项，3 日内到期 1 项，已逾期 1 项，收到催办 1 次',
      body: expect.stringContaining('县财政局12月3日待办摘要'),
    });
    for (const line of ['新任务 2 项', '3 日内到期 1 项', '已逾期 1 项', '收到催办 1 次'])
      expect(notification!.body).toContain(line);
  });

  it('writes no message when there is nothing to report', () => {
    expect(digestNotification(finance, { newWork: 0, dueSoon: 0, overdue: 0, urges: 0 }, '2026-12-03')).toBeNull();
  });

  it('reports a unit with only one kind of work', () => {
    const notification = digestNotification(finance, { newWork: 0, dueSoon: 0, overdue: 0, urges: 3 }, '2027-01-15');
    expect(notification?.title).toBe('每日摘要（1月15日）：新任务 0 项，3 日内到期 0 项，已逾期 0 项，收到催办 3 次');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => digestNotification(finance, { newWork: 1, dueSoon: 0, overdue: 0, urges: 0 }, '12月3日')).toThrow(
      RangeError,
    );
  });

  it('keys one digest per unit and date', () => {
    expect(digestDedupeKey('finance', '2026-12-03')).toBe('digest:finance:2026-12-03');
  });
});
