import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'plans' })
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'source_sha256', type: 'char', length: 64 }) sourceSha256!: string;
  @Column({ name: 'source_format', type: 'varchar', length: 8 }) sourceFormat!: 'txt' | 'docx' | 'xlsx';
  @Column({ name: 'source_filename', type: 'text' }) sourceFilename!: string;
  @Column({ name: 'imported_at', type: 'timestamptz', default: () => 'now()' }) importedAt!: Date;
  @Column({ name: 'imported_by', type: 'uuid' }) importedBy!: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) policy!: Record<string, unknown>;
  /** The year every deadline was moved to at import, or null if kept as written. */
  @Column({ name: 'deadline_year', type: 'integer', nullable: true }) deadlineYear!: number | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) warnings!: Array<{ line: number; message: string }>;
}
