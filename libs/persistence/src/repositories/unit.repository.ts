import { DataSource, Repository } from 'typeorm';
import { Unit } from '@county/domain';
import { UnitEntity } from '../entities/unit.entity';

export class UnitRepository {
  private readonly units: Repository<UnitEntity>;

  constructor(dataSource: DataSource) {
    this.units = dataSource.getRepository(UnitEntity);
  }

  async list(): Promise<Unit[]> {
    const rows = await this.units.find({ order: { kind: 'ASC', id: 'ASC' } });
    return rows.map(toUnit);
  }

  async findById(id: string): Promise<Unit | null> {
    const row = await this.units.findOneBy({ id });
    return row ? toUnit(row) : null;
  }

  /** Inserts new units and updates changed ones by id; never deletes (users and history point at units). */
  async upsertMany(units: readonly Unit[]): Promise<void> {
    if (units.length === 0) return;
    await this.units.upsert(
      units.map((unit) => ({ ...unit })),
      { conflictPaths: ['id'] },
    );
  }
}

function toUnit(row: UnitEntity): Unit {
  return { id: row.id, name: row.name, fullName: row.fullName, aliases: row.aliases, kind: row.kind };
}
