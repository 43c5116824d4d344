import { DataSource } from 'typeorm';
import { AuditEventInput, CalendarOverride } from '@county/domain';
import { CalendarOverrideEntity } from '../entities/calendar-override.entity';
import { appendAuditEvent } from './audit.repository';

export class CalendarOverrideRepository {
  constructor(private readonly dataSource: DataSource) {}

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
