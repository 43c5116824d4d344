import {
  categoryOf,
  DeliveryFacts,
  deliveryTime,
  NotificationCategory,
  notificationLink,
  planDeliveries,
  pushesAnyTime,
  wantsCategory,
} from './notification-delivery';
import { shanghaiDate, WorkingCalendar } from './working-calendar';

/** A year built for the test: National Day 10-01…10-07 (Fri–Thu), made up on Saturdays 09-25 and 10-09. */
const calendar = new WorkingCalendar({
  version: 'test-2027',
  coveredYears: new Set([2027]),
  holidays: new Set(['01', '02', '03', '04', '05', '06', '07'].map((day) => `2027-10-${day}`)),
  makeUpWorkdays: new Set(['2027-09-25', '2027-10-09']),
});
const isWorkingDay = (date: string) => calendar.isWorkingDay(date);
const china = (local: string) => new Date(`${local}+08:00`);
const at = (local: string, anyTime = false) => deliveryTime(china(local), anyTime, isWorkingDay).toISOString();

describe('deliveryTime (quiet hours, working-day aware)', () => {
  it('holds a reminder due on Friday 22:00 until 08:30 on the 调休 Saturday that follows', () => {
    expect(at('2027-09-24T22:00:00')).toBe(china('2027-09-25T08:30:00').toISOString());
  });

  it('holds one that falls on a holiday until the first working day after it', () => {
    expect(at('2027-10-02T10:00:00')).toBe(china('2027-10-08T08:30:00').toISOString());
  });

  it('pushes a level-3 escalation or an urgent call at once, at any hour', () => {
    expect(at('2027-09-24T22:00:00', true)).toBe(china('2027-09-24T22:00:00').toISOString());
    expect(at('2027-10-03T03:00:00', true)).toBe(china('2027-10-03T03:00:00').toISOString());
  });

  it('pushes inside 08:30–18:00 of a working day at once; before it at that morning’s opening; from 18:00 on the next', () => {
    expect(at('2027-09-27T08:30:00')).toBe(china('2027-09-27T08:30:00').toISOString());
    expect(at('2027-09-27T17:59:00')).toBe(china('2027-09-27T17:59:00').toISOString());
    expect(at('2027-09-27T07:10:00')).toBe(china('2027-09-27T08:30:00').toISOString());
    expect(at('2027-10-08T18:00:00')).toBe(china('2027-10-09T08:30:00').toISOString());
  });

  it('on an ordinary Saturday waits for Monday', () => {
    expect(at('2027-10-16T12:00:00')).toBe(china('2027-10-18T08:30:00').toISOString());
  });

  it('falls back to Monday–Friday in a year the calendar does not cover, rather than holding a message for ever', () => {
    // 2031-01-04 is a Saturday; the calendar above throws for 2031.
    expect(() => isWorkingDay('2031-01-04')).toThrow();
    expect(at('2031-01-04T12:00:00')).toBe(china('2031-01-06T08:30:00').toISOString());
  });

  it('uses the China-time date, not the UTC one', () => {
    expect(shanghaiDate(china('2027-09-25T07:00:00'))).toBe('2027-09-25');
  });
});

describe('notification categories', () => {
  it('files every kind under the category a user chooses from', () => {
    expect(categoryOf('deadline-reminder')).toBe(NotificationCategory.Reminder);
    expect(categoryOf('call-reminder')).toBe(NotificationCategory.Reminder);
    expect(categoryOf('escalation-level-3')).toBe(NotificationCategory.Escalation);
    expect(categoryOf('supervision-reminder')).toBe(NotificationCategory.Urge);
    expect(categoryOf('call-received')).toBe(NotificationCategory.Call);
    expect(categoryOf('daily-digest')).toBe(NotificationCategory.Digest);
    expect(categoryOf('report-returned')).toBe(NotificationCategory.Work);
  });

  it('treats a user who never chose as wanting everything, and honours a choice', () => {
    expect(wantsCategory(null, NotificationCategory.Work)).toBe(true);
    expect(wantsCategory(['urge'], NotificationCategory.Work)).toBe(false);
    expect(wantsCategory(['urge'], NotificationCategory.Urge)).toBe(true);
  });

  it('pushes at any hour only level 3 and urgent calls', () => {
    expect(pushesAnyTime({ kind: 'escalation-level-3' })).toBe(true);
    expect(pushesAnyTime({ kind: 'escalation-level-2' })).toBe(false);
    expect(pushesAnyTime({ kind: 'call-received', callUrgency: 'urgent' })).toBe(true);
    expect(pushesAnyTime({ kind: 'call-received', callUrgency: 'normal' })).toBe(false);
  });
});

describe('notificationLink', () => {
  it('opens the task of a task or an assignment, the calls page for a call, else the inbox', () => {
    const task = '11111111-1111-4111-8111-111111111111';
    expect(notificationLink({ subjectType: 'task', subjectId: task })).toBe(`/tasks/${task}`);
    expect(notificationLink({ subjectType: 'assignment', subjectId: 'a', taskId: task })).toBe(`/tasks/${task}`);
    expect(notificationLink({ subjectType: 'assignment', subjectId: 'a', taskId: null })).toBe('/');
    expect(notificationLink({ subjectType: 'call', subjectId: 'c' })).toBe('/calls');
    expect(notificationLink({ subjectType: 'plan', subjectId: 'p' })).toBe('/tasks');
    expect(notificationLink({ subjectType: 'user', subjectId: 'u' })).toBe('/');
  });
});

describe('planDeliveries', () => {
  const allWorking = () => true;
  const insideHours = new Date('2026-06-03T02:00:00Z'); // Wednesday 10:00 China time
  const facts = (over: Partial<DeliveryFacts> & { kind?: string; role?: string | null } = {}): DeliveryFacts => ({
    notification: {
      id: 'n1',
      kind: over.kind ?? 'deadline-reminder',
      recipientRole: over.role === undefined ? null : over.role,
      createdAt: insideHours,
      callUrgency: null,
    },
    recipientUnitIds: ['town-a'],
    subjectUnitIds: ['town-a'],
    users: [
      { id: 'u1', email: 'u1@example.cn', notifyCategories: null },
      { id: 'u2', email: null, notifyCategories: null },
      { id: 'u3', email: 'u3@example.cn', notifyCategories: ['escalation'] },
    ],
    endpoints: [
      { id: 'e1', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret', unitId: 'town-a' },
      { id: 'e2', kind: 'webhook', url: 'https://oa.example.cn/hook', unitId: null },
    ],
    emailEnabled: true,
    ...over,
  });

  it('mails each user with an address who wants the category, and the unit robot and county webhook', () => {
    const planned = planDeliveries(facts(), allWorking);
    expect(planned.map((d) => d.dedupeKey)).toEqual(['n1:email:u1', 'n1:wecom:e1', 'n1:webhook:e2']);
    expect(planned[1].address).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send');
    expect(planned.every((d) => d.notBefore.getTime() === insideHours.getTime())).toBe(true);
  });

  it('sends no e-mail without an SMTP server', () => {
    expect(planDeliveries(facts({ emailEnabled: false }), allWorking).map((d) => d.channel)).toEqual([
      'wecom',
      'webhook',
    ]);
  });

  it('keeps a role-addressed notification off the unit robot, but an escalation reaches the late unit robot', () => {
    expect(
      planDeliveries(facts({ kind: 'acknowledge-reminder', role: 'head' }), allWorking).map((d) => d.channel),
    ).toEqual(['email', 'webhook']);
    const levelThree = facts({
      kind: 'escalation-level-3',
      role: 'leader',
      recipientUnitIds: ['leadership'],
      subjectUnitIds: ['town-a'],
    });
    expect(planDeliveries(levelThree, allWorking).map((d) => d.dedupeKey)).toEqual([
      'n1:email:u1',
      'n1:email:u3',
      'n1:wecom:e1',
      'n1:webhook:e2',
    ]);
  });

  it('holds everything but level 3 and urgent calls for the next working morning', () => {
    const friday22 = china('2027-09-24T22:00:00');
    const pushedAt = (kind: string, callUrgency: string | null = null) => {
      const base = facts({ kind });
      const planned = planDeliveries(
        { ...base, notification: { ...base.notification, createdAt: friday22, callUrgency } },
        isWorkingDay,
      );
      return planned[0].notBefore.toISOString();
    };
    expect(pushedAt('deadline-reminder')).toBe(china('2027-09-25T08:30:00').toISOString());
    expect(pushedAt('escalation-level-3')).toBe(friday22.toISOString());
    expect(pushedAt('call-received', 'urgent')).toBe(friday22.toISOString());
  });
});
