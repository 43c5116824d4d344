import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Login attempts live in Postgres rather than process memory so that the brute-force limit holds
 * across every API replica and survives restarts.
 */
@Entity({ name: 'login_attempts' })
@Index('login_attempts_client_at', ['clientKey', 'at'])
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'client_key', type: 'text' })
  clientKey!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'boolean' })
  succeeded!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
