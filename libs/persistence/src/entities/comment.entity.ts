import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CommentKind, CommentSubjectType } from '@county/domain';

/** One message in a thread or one 批示; rows are only ever inserted (the application role cannot change them). */
@Entity({ name: 'comments' })
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'subject_type', type: 'varchar', length: 12 }) subjectType!: CommentSubjectType;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId!: string;
  /** The task it is pinned on or belongs to (null for a call's thread and a call escalation's 批示). */
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId!: string | null;
  @Column({ type: 'varchar', length: 12 }) kind!: CommentKind;
  @Column({ type: 'text' }) body!: string;
  @Column({ name: 'mentioned_unit_ids', type: 'varchar', length: 40, array: true }) mentionedUnitIds!: string[];
  @Column({ name: 'author_user_id', type: 'uuid' }) authorUserId!: string;
  @Column({ name: 'author_unit_id', type: 'varchar', length: 40 }) authorUnitId!: string;
  /** The author's name when they wrote it (a later rename does not rewrite what was signed). */
  @Column({ name: 'author_name', type: 'text' }) authorName!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
