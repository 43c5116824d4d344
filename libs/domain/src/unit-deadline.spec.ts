import {
  afterDeadlineChange,
  DeadlineChangeSource,
  initialDeadlines,
  laterDeadline,
  workingDeadline,
} from './unit-deadline';

const JUNE = '2027-06-30T15:59:59.000Z';
const JULY = '2027-07-31T15:59:59.000Z';
const AUGUST = '2027-08-31T15:59:59.000Z';
const MAY = '2027-05-31T15:59:59.000Z';
const before = (iso: string) => Date.parse(iso) - 86_400_000;
const after = (iso: string) => Date.parse(iso) + 86_400_000;

describe('one unit’s deadlines (DESIGN §4.5)', () => {
  it('takes the later of two deadlines; null is no deadline', () => {
    expect(laterDeadline(JUNE, JULY)).toBe(JULY);
    expect(laterDeadline(JULY, JUNE)).toBe(JULY);
    expect(laterDeadline(null, JUNE)).toBe(JUNE);
    expect(laterDeadline(JUNE, null)).toBe(JUNE);
    expect(laterDeadline(null, null)).toBeNull();
  });

  it('a task-level change never shortens an approved extension, and one beyond it applies', () => {
    const extended = afterDeadlineChange(
      initialDeadlines(JUNE),
      { source: DeadlineChangeSource.ExtensionRequest, dueAt: AUGUST },
      before(JUNE),
    );
    expect(workingDeadline(extended)).toBe(AUGUST);
    const shortened = afterDeadlineChange(extended, { source: DeadlineChangeSource.Task, dueAt: MAY }, before(MAY));
    expect(workingDeadline(shortened)).toBe(AUGUST);
    expect(shortened.assessed).toBe(AUGUST);
    const moved = afterDeadlineChange(
      extended,
      { source: DeadlineChangeSource.Task, dueAt: '2027-09-30T15:59:59.000Z' },
      before(JUNE),
    );
    expect(workingDeadline(moved)).toBe('2027-09-30T15:59:59.000Z');
  });

  it('without an extension, a task-level change moves the unit’s deadline either way', () => {
    const earlier = afterDeadlineChange(initialDeadlines(JUNE), { source: DeadlineChangeSource.Task, dueAt: MAY }, 0);
    expect(workingDeadline(earlier)).toBe(MAY);
    expect(earlier.assessed).toBe(MAY);
  });

  it('measures against the original deadline once it has passed, whatever the office moves later', () => {
    const late = afterDeadlineChange(
      initialDeadlines(JUNE),
      { source: DeadlineChangeSource.Office, dueAt: JULY },
      after(JUNE),
    );
    expect(workingDeadline(late)).toBe(JULY);
    expect(late.assessed).toBe(JUNE);
    const taskLate = afterDeadlineChange(late, { source: DeadlineChangeSource.Task, dueAt: AUGUST }, after(JUNE));
    expect(workingDeadline(taskLate)).toBe(AUGUST);
    expect(taskLate.assessed).toBe(JUNE);
  });

  it('a documented office decision before the deadline passed moves the measure', () => {
    const task = afterDeadlineChange(initialDeadlines(JUNE), { source: DeadlineChangeSource.Task, dueAt: JULY }, 0);
    expect(task.assessed).toBe(JULY);
    const office = afterDeadlineChange(
      initialDeadlines(JUNE),
      { source: DeadlineChangeSource.Office, dueAt: JULY },
      before(JUNE),
    );
    expect(office.assessed).toBe(JULY);
  });

  it('an approved extension request always moves the measure', () => {
    const extended = afterDeadlineChange(
      initialDeadlines(JUNE),
      { source: DeadlineChangeSource.ExtensionRequest, dueAt: JULY },
      after(JUNE),
    );
    expect(extended.assessed).toBe(JULY);
  });

  it('an ongoing task given a fixed deadline is assessed against it', () => {
    const fixed = afterDeadlineChange(initialDeadlines(null), { source: DeadlineChangeSource.Task, dueAt: JUNE }, 0);
    expect(fixed).toEqual({ task: JUNE, unit: null, assessed: JUNE });
  });
});
