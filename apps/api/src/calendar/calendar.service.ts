import { Injectable } from '@nestjs/common';
import { createWorkingCalendar } from '@county/calendar';
import { CalendarYearNotCoveredError, DomainError, ErrorCode, shanghaiDate, User } from '@county/domain';
import { CalendarOverrideRepository, CompletedYear } from '@county/persistence';
import {
  CalendarOverridesResponse,
  ReplaceCalendarOverridesRequest,
  WorkdaysQuery,
  WorkdaysResponse,
} from './calendar.dto';

@Injectable()
export class CalendarService {
  constructor(private readonly overrides: CalendarOverrideRepository) {}

  async listOverrides(): Promise<CalendarOverridesResponse> {
    const { overrides, completedYears } = await this.overrides.calendarInputs();
    return { overrides, calendarVersion: createWorkingCalendar(overrides, completedYears).version };
  }

  listYears(): Promise<CompletedYear[]> {
    return this.overrides.completedYears();
  }

  /** An admin has loaded a year's notice as overrides and says it is complete: the year is now covered. */
  async completeYear(year: number, notice: string, admin: User): Promise<CompletedYear[]> {
    await this.overrides.completeYear(year, notice, admin.id, {
      actorUserId: admin.id,
      actorUnitId: admin.unitId,
      action: 'calendar.year-completed',
      subjectType: 'calendar',
      subjectId: String(year),
      workflowId: null,
      payload: { year, notice },
    });
    return this.listYears();
  }

  async replaceOverrides(request: ReplaceCalendarOverridesRequest, admin: User): Promise<CalendarOverridesResponse> {
    const seen = new Set<string>();
    for (const override of request.overrides) {
      if (
        Number.isNaN(new Date(`${override.date}T00:00:00Z`).getTime()) ||
        new Date(`${override.date}T00:00:00Z`).toISOString().slice(0, 10) !== override.date
      ) {
        throw new DomainError(ErrorCode.ValidationFailed, `overrides: ${override.date} 不是有效的日期`);
      }
      if (seen.has(override.date))
        throw new DomainError(ErrorCode.ValidationFailed, `overrides: ${override.date} 列了两次`);
      seen.add(override.date);
    }
    const before = await this.overrides.list();
    await this.overrides.replaceAll(request.overrides, admin.id, {
      actorUserId: admin.id,
      actorUnitId: admin.unitId,
      action: 'calendar.overrides.replaced',
      subjectType: 'calendar',
      subjectId: 'overrides',
      workflowId: null,
      payload: { before, after: request.overrides.map(({ date, kind, reason }) => ({ date, kind, reason })) },
    });
    return this.listOverrides();
  }

  async addWorkingDays(query: WorkdaysQuery): Promise<WorkdaysResponse> {
    const from = new Date(query.from.length === 10 ? `${query.from}T00:00:00+08:00` : query.from);
    if (Number.isNaN(from.getTime()))
      throw new DomainError(ErrorCode.ValidationFailed, `from: “${query.from}”不是有效的日期`);
    const { overrides, completedYears } = await this.overrides.calendarInputs();
    const calendar = createWorkingCalendar(overrides, completedYears);
    try {
      const at = calendar.addWorkingDays(from, query.n);
      return {
        from: from.toISOString(),
        n: query.n,
        at: at.toISOString(),
        date: shanghaiDate(at),
        calendarVersion: calendar.version,
      };
    } catch (error) {
      if (error instanceof CalendarYearNotCoveredError) {
        throw new DomainError(ErrorCode.CalendarYearNotCovered, error.message, { year: error.year });
      }
      throw error;
    }
  }
}
