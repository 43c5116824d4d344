import { DataSource, Repository } from 'typeorm';
import { LoginAttemptEntity } from '../entities/login-attempt.entity';

export class LoginAttemptRepository {
  private readonly attempts: Repository<LoginAttemptEntity>;

  constructor(dataSource: DataSource) {
    this.attempts = dataSource.getRepository(LoginAttemptEntity);
  }

  async record(clientKey: string, username: string, succeeded: boolean): Promise<void> {
    await this.attempts.insert({ clientKey, username, succeeded });
  }

  /** Failed attempts from one client within the window, counted by the database clock (one clock for all replicas). */
  async countRecentFailures(clientKey: string, windowSeconds: number): Promise<number> {
    return this.attempts
      .createQueryBuilder('attempt')
      .where('attempt.client_key = :clientKey', { clientKey })
      .andWhere('attempt.succeeded = false')
      .andWhere(`attempt.at > now() - make_interval(secs => :windowSeconds)`, { windowSeconds })
      .getCount();
  }

  /** Attempts older than the retention period carry no signal any more; keeps the table small. */
  async deleteOlderThan(days: number): Promise<void> {
    await this.attempts
      .createQueryBuilder()
      .delete()
      .where(`at < now() - make_interval(days => :days)`, { days })
      .execute();
  }
}
