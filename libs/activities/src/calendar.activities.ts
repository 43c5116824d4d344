import { ApplicationFailure } from '@temporalio/activity';
import { createWorkingCalendar } from '@county/calendar';
import { CalendarYearNotCoveredError } from '@county/domain';
import { CalendarOverrideRepository } from '@county/persistence';

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
export function createCalendarActivities(dependencies: { overrides: CalendarOverrideRepository }) {
  return {
    async addWorkingDays(input: WorkingDaysInput): Promise<WorkingDaysResult> {
      const calendar = createWorkingCalendar(await dependencies.overrides.list());
      try {
        return {
          at: calendar.addWorkingDays(new Date(input.from), input.workdays).toISOString(),
          calendarVersion: calendar.version,
        };
      } catch (error) {
        if (error instanceof CalendarYearNotCoveredError) {
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
