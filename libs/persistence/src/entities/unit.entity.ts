import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UnitKind } from '@county/domain';

@Entity({ name: 'units' })
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases!: string[];

  @Column({ type: 'varchar', length: 20 })
  kind!: UnitKind;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'merged_into', type: 'varchar', length: 40, nullable: true })
  mergedInto!: string | null;
}
