import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Login attempts live in Postgres rather than process memory so that the brute-force limit holds
 * across every API replica and survives restarts.
 */
@Entity({ name: 'login_attempts' })
@Index('login_attempts_client_at', ['clientKey', 'at'])
@Index('login_attempts_username_at', ['username', 'at'])
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'client_key', type: 'text' })
  clientKey!: string;

  @Column({ type: 'text' })
  username!: string;

  /** NULL while the password is being checked: a reservation, counted against the limit like a failure. */
  @Column({ type: 'boolean', nullable: true })
  succeeded!: boolean | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
