import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditEventInput, OPEN_ASSIGNMENT_STATUSES, OPEN_CALL_STATUSES, RegistryUnit, Unit } from '@county/domain';
import { UnitEntity } from '../entities/unit.entity';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keysetAfter, named, PageRequest } from './keyset';

export interface UnitWork {
  openAssignments: number;
  openCalls: number;
  activeUsers: number;
}

/** The registry's order: by kind, then id (unique). */
export const UNIT_KEY: KeyColumn[] = [
  { sql: 'unit.kind', kind: 'text' },
  { sql: 'unit.id', kind: 'text' },
];

export class UnitRepository {
  private readonly units: Repository<UnitEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.units = dataSource.getRepository(UnitEntity);
  }

  /** The whole registry, retired units included (old documents and running work still name them). */
  async list(): Promise<RegistryUnit[]> {
    const rows = await this.units.find({ order: { kind: 'ASC', id: 'ASC' } });
    return rows.map(toUnit);
  }

  /** One keyset page of the registry, by kind and id (UNIT_KEY), and how many units there are in all. */
  async page(page: PageRequest): Promise<Keyed<RegistryUnit> & { total: number }> {
    const query = this.units.createQueryBuilder('unit');
    query
      .where(
        keysetAfter(
          UNIT_KEY,
          page.after,
          named((name, value) => query.setParameter(name, value)),
        ),
      )
      .orderBy('unit.kind', 'ASC')
      .addOrderBy('unit.id', 'ASC')
      .limit(page.limit + 1);
    const [rows, total] = await Promise.all([query.getMany(), this.units.count()]);
    return { ...keyedPage(rows, page.limit, (row) => [row.kind, row.id], toUnit), total };
  }

  async findById(id: string): Promise<RegistryUnit | null> {
    const row = await this.units.findOneBy({ id });
    return row ? toUnit(row) : null;
  }

  /** Units merged into `unitId`: the units whose open work it answers for. */
  async mergedInto(unitId: string): Promise<string[]> {
    const rows = await this.units.find({ where: { mergedInto: unitId }, order: { id: 'ASC' } });
    return rows.map((row) => row.id);
  }

  /**
   * Seeds the registry: inserts the units it does not have yet and leaves the others as administered (a rename,
   * merge or retirement made through the API survives every restart). Never deletes.
   */
  async upsertMany(units: readonly Unit[]): Promise<void> {
    if (units.length === 0) return;
    await this.units
      .createQueryBuilder()
      .insert()
      .values(units.map(({ id, name, fullName, aliases, kind }) => ({ id, name, fullName, aliases, kind })))
      .orIgnore()
      .execute();
  }

  /** What is still open for `unitId` itself (not for units merged into it). */
  async work(unitId: string, manager: EntityManager = this.dataSource.manager): Promise<UnitWork> {
    const [row] = (await manager.query(
      `SELECT (SELECT count(*)::int FROM assignments a JOIN tasks t ON t.id = a.task_id
                WHERE a.unit_id = $1 AND a.status = ANY($2::text[])) AS open_assignments,
              (SELECT count(*)::int FROM calls c
                WHERE (c.to_unit_id = $1 OR c.from_unit_id = $1) AND c.status = ANY($3::text[])) AS open_calls,
              (SELECT count(*)::int FROM users u WHERE u.unit_id = $1 AND NOT u.disabled) AS active_users`,
      [unitId, OPEN_ASSIGNMENT_STATUSES, OPEN_CALL_STATUSES],
    )) as Array<{ open_assignments: number; open_calls: number; active_users: number }>;
    return { openAssignments: row.open_assignments, openCalls: row.open_calls, activeUsers: row.active_users };
  }

  async add(unit: Unit, audit: AuditEventInput): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(UnitEntity, { ...unit, retiredAt: null, mergedInto: null });
      await appendAuditEvent(manager, audit);
    });
  }

  async rename(unit: Unit, audit: AuditEventInput): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        UnitEntity,
        { id: unit.id },
        { name: unit.name, fullName: unit.fullName, aliases: unit.aliases },
      );
      await appendAuditEvent(manager, audit);
    });
  }

  /**
   * Retires `retired` in favour of `survivor`: its users move to the survivor (their tokens are revoked by the
   * token-version trigger), units merged into it earlier now point at the survivor (merges stay one hop deep).
   * Its open work stays with its running workflows and is read as the survivor's (`actsForUnit`).
   */
  async merge(
    retired: string,
    survivor: string,
    audit: (moved: UnitWork & { movedUsers: number; mergedUnits: string[] }) => AuditEventInput,
  ): Promise<UnitWork & { movedUsers: number; mergedUnits: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      // Lock both rows: two merges of the same units at once would otherwise both pass the checks.
      await manager.query(`SELECT id FROM units WHERE id = ANY($1) FOR UPDATE`, [[retired, survivor]]);
      const work = await this.work(retired, manager);
      const earlier = (await manager.query(`UPDATE units SET merged_into = $2 WHERE merged_into = $1 RETURNING id`, [
        retired,
        survivor,
      ])) as unknown[];
      const mergedUnits = (Array.isArray(earlier[0]) ? earlier[0] : earlier) as Array<{ id: string }>;
      await manager.query(`UPDATE units SET retired_at = now(), merged_into = $2 WHERE id = $1`, [retired, survivor]);
      const users = (await manager.query(`UPDATE users SET unit_id = $2 WHERE unit_id = $1 RETURNING id`, [
        retired,
        survivor,
      ])) as unknown[];
      const movedUsers = (Array.isArray(users[0]) ? users[0] : users).length;
      const result = { ...work, movedUsers, mergedUnits: mergedUnits.map((row) => row.id) };
      await appendAuditEvent(manager, audit(result));
      return result;
    });
  }

  async retire(unitId: string, audit: AuditEventInput): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE units SET retired_at = now() WHERE id = $1`, [unitId]);
      await appendAuditEvent(manager, audit);
    });
  }
}

function toUnit(row: UnitEntity): RegistryUnit {
  return {
    id: row.id,
    name: row.name,
    fullName: row.fullName,
    aliases: row.aliases,
    kind: row.kind,
    retired: row.retiredAt !== null,
    mergedInto: row.mergedInto,
  };
}
