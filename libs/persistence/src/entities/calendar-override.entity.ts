import { Column, Entity, PrimaryColumn } from 'typeorm';
import { OverrideKind } from '@county/domain';

@Entity({ name: 'calendar_overrides' })
export class CalendarOverrideEntity {
  @PrimaryColumn({ type: 'date' }) date!: string;
  @Column({ type: 'varchar', length: 8 }) kind!: OverrideKind;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
