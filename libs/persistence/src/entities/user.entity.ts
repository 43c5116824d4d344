import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '@county/domain';
import { UnitEntity } from './unit.entity';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 80, unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'unit_id', type: 'varchar', length: 40 })
  unitId!: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** A disabled user keeps their history but can no longer log in or use an issued token. */
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /**
   * Tokens carry the version they were issued under; one that differs is refused. Logout increments it, and
   * a database trigger does whenever disabled, unit, roles or password change (migration 1764391000000).
   */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** What the user wants outside the app (NotificationCategory values); null: everything. */
  @Column({ name: 'notify_categories', type: 'text', array: true, nullable: true })
  notifyCategories!: string[] | null;

  /** The password was set by an administrator (one-time password): the user must choose their own first. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
