import { ApplicationFailure } from '@temporalio/activity';
import { createWorkingCalendar } from '@county/calendar';
import { CalendarYearNotCoveredError, Role } from '@county/domain';
import { CalendarOverrideRepository, WorkflowProjectionRepository } from '@county/persistence';

export interface WorkingDaysInput {
  /** ISO instant to count from. */
  from: string;
  workdays: number;
}

export interface WorkingDaysResult {
  /** ISO instant: `workdays` working days after `from`, same Beijing time of day. */
  at: string;
  /** The holiday table and overrides the answer came from; stored with every computed deadline. */
  calendarVersion: string;
}

/**
 * Working-day arithmetic for workflows. It is an activity, not workflow code, because the holiday table
 * and the overrides change over time: the result is recorded in the history, so replaying an old
 * workflow after a table update gives the same deadline.
 */
export function createCalendarActivities(dependencies: {
  overrides: CalendarOverrideRepository;
  projection: WorkflowProjectionRepository;
}) {
  return {
    async addWorkingDays(input: WorkingDaysInput): Promise<WorkingDaysResult> {
      const { overrides, completedYears } = await dependencies.overrides.calendarInputs();
      const calendar = createWorkingCalendar(overrides, completedYears);
      try {
        return {
          at: calendar.addWorkingDays(new Date(input.from), input.workdays).toISOString(),
          calendarVersion: calendar.version,
        };
      } catch (error) {
        if (error instanceof CalendarYearNotCoveredError) {
          await alertAdmins(dependencies.projection, error.year);
          // Retryable on purpose: the workflow waits (on its retry policy) until an admin loads the year.
          throw ApplicationFailure.retryable(error.message, error.code, { year: error.year });
        }
        throw ApplicationFailure.nonRetryable(
          error instanceof Error ? error.message : String(error),
          'INVALID_CALENDAR_INPUT',
        );
      }
    },
  };
}

/** Once per missing year (dedupe key), however many workflows need it: a notification and an audit event. */
async function alertAdmins(projection: WorkflowProjectionRepository, year: number): Promise<void> {
  await projection.apply({
    dedupeKey: `calendar:year-not-covered:${year}`,
    audit: {
      actorUserId: null,
      actorUnitId: null,
      action: 'calendar.year-not-covered',
      subjectType: 'calendar',
      subjectId: String(year),
      workflowId: null,
      payload: { year },
    },
    notifications: [
      {
        recipientUnitId: 'supervision',
        recipientRole: Role.Admin,
        kind: 'calendar-year-not-covered',
        subjectType: 'calendar',
        subjectId: String(year),
        title: `工作日历缺少 ${year} 年节假日安排`,
        body: `请按国务院办公厅 ${year} 年节假日安排通知录入节假日和调休上班日，并将 ${year} 年标记为完整；相关期限计算将自动继续。`,
      },
    ],
  });
}
