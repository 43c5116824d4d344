import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DeadlineKind } from '@county/domain';

@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId!: string;
  @Column({ type: 'integer' }) no!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', array: true }) measures!: string[];
  @Column({ type: 'text', array: true }) goals!: string[];
  @Column({ name: 'lead_unit_ids', type: 'varchar', length: 40, array: true }) leadUnitIds!: string[];
  @Column({ name: 'all_townships', type: 'boolean' }) allTownships!: boolean;
  @Column({ name: 'related_departments', type: 'boolean' }) relatedDepartments!: boolean;
  @Column({ name: 'deadline_text', type: 'text' }) deadlineText!: string;
  @Column({ name: 'deadline_date', type: 'date', nullable: true }) deadlineDate!: string | null;
  @Column({ name: 'deadline_kind', type: 'varchar', length: 12 }) deadlineKind!: DeadlineKind;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  /** Workflow-owned from issue 5 on: written by projection activities, never by the API. */
  @Column({ type: 'varchar', length: 40, default: 'open' }) status!: string;
  @Column({ type: 'varchar', length: 8, default: 'green' }) light!: string;
}
