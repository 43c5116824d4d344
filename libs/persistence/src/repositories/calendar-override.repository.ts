import { DataSource } from 'typeorm';
import { AuditEventInput, CalendarOverride } from '@county/domain';
import { CalendarOverrideEntity } from '../entities/calendar-override.entity';
import { appendAuditEvent } from './audit.repository';

export interface CompletedYear {
  year: number;
  notice: string;
  completedAt: string;
}

/** The regional calendar: overrides, and the years an admin has loaded and marked complete. */
export class CalendarOverrideRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Everything a working-day calendar is built from besides the national table. */
  async calendarInputs(): Promise<{ overrides: CalendarOverride[]; completedYears: number[] }> {
    const [overrides, years] = await Promise.all([this.list(), this.completedYears()]);
    return { overrides, completedYears: years.map((year) => year.year) };
  }

  async completedYears(): Promise<CompletedYear[]> {
    const rows: Array<{ year: number; notice: string; completed_at: Date }> = await this.dataSource.query(
      'SELECT year, notice, completed_at FROM calendar_years ORDER BY year',
    );
    return rows.map((row) => ({ year: row.year, notice: row.notice, completedAt: row.completed_at.toISOString() }));
  }

  async completeYear(year: number, notice: string, completedBy: string, audit: AuditEventInput): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO calendar_years (year, notice, completed_by) VALUES ($1, $2, $3)
         ON CONFLICT (year) DO UPDATE SET notice = EXCLUDED.notice, completed_by = EXCLUDED.completed_by, completed_at = now()`,
        [year, notice, completedBy],
      );
      await appendAuditEvent(manager, audit);
    });
  }

  async list(): Promise<CalendarOverride[]> {
    const rows = await this.dataSource.getRepository(CalendarOverrideEntity).find({ order: { date: 'ASC' } });
    return rows.map((row) => ({ date: row.date, kind: row.kind, reason: row.reason }));
  }

  /** Replaces the whole set in one transaction, so readers never see half an edit. */
  async replaceAll(overrides: readonly CalendarOverride[], updatedBy: string, audit: AuditEventInput): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().delete().from(CalendarOverrideEntity).execute();
      if (overrides.length > 0) {
        await manager.insert(
          CalendarOverrideEntity,
          overrides.map((override) => ({ ...override, updatedBy })),
        );
      }
      await appendAuditEvent(manager, audit);
    });
  }
}
