import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AssignmentRole } from '@county/domain';

@Entity({ name: 'assignments' })
export class AssignmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'task_id', type: 'uuid' }) taskId!: string;
  @Column({ name: 'unit_id', type: 'varchar', length: 40 }) unitId!: string;
  @Column({ type: 'varchar', length: 12 }) role!: AssignmentRole;
  /** Workflow-owned from issue 5 on. */
  @Column({ type: 'varchar', length: 40, default: 'assigned' }) status!: string;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  /** The deadline the unit is assessed against (DESIGN §4.5; workflow-owned, see afterDeadlineChange). */
  @Column({ name: 'assessed_due_at', type: 'timestamptz', nullable: true }) assessedDueAt!: Date | null;
  @Column({ name: 'escalation_level', type: 'integer', default: 0 }) escalationLevel!: number;
  @Column({ type: 'varchar', length: 8, default: 'green' }) light!: string;
  /** 转办: the assignment this one took over from. */
  @Column({ name: 'reassigned_from_id', type: 'uuid', nullable: true }) reassignedFromId!: string | null;
}
