import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { LoginAttemptEntity } from './entities/login-attempt.entity';
import { UnitEntity } from './entities/unit.entity';
import { UserEntity } from './entities/user.entity';
import { Identity1764270000000 } from './migrations/1764270000000-identity';
import { Plans1764280000000 } from './migrations/1764280000000-plans';
import { CalendarOverrides1764290000000 } from './migrations/1764290000000-calendar-overrides';
import { CalendarOverrideEntity } from './entities/calendar-override.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditLog1764300000000 } from './migrations/1764300000000-audit-log';
import { Notifications1764310000000 } from './migrations/1764310000000-notifications';
import { WiderStatus1764320000000 } from './migrations/1764320000000-wider-status';
import { Escalations1764330000000 } from './migrations/1764330000000-escalations';
import { IdempotencyKeys1764340000000 } from './migrations/1764340000000-idempotency-keys';
import { CalendarYears1764350000000 } from './migrations/1764350000000-calendar-years';
import { ExtensionRequests1764360000000 } from './migrations/1764360000000-extension-requests';
import { AddedAssignments1764370000000 } from './migrations/1764370000000-added-assignments';
import { Calls1764380000000 } from './migrations/1764380000000-calls';
import { LoginAttemptReservations1764390000000 } from './migrations/1764390000000-login-attempt-reservations';
import { TokenVersions1764391000000 } from './migrations/1764391000000-token-versions';
import { IdempotencyResponseText1764395000000 } from './migrations/1764395000000-idempotency-response-text';
import { ClosedExtensionRequests1764396000000 } from './migrations/1764396000000-closed-extension-requests';
import { AssessedDueAt1764397000000 } from './migrations/1764397000000-assessed-due-at';
import { UserAccounts1764400000000 } from './migrations/1764400000000-user-accounts';
import { UnitLifecycle1764420000000 } from './migrations/1764420000000-unit-lifecycle';
import { HandlersDelegations1764430000000 } from './migrations/1764430000000-handlers-delegations';
import { NotificationReads1764440000000 } from './migrations/1764440000000-notification-reads';
import { DeliveryOutbox1764450000000 } from './migrations/1764450000000-delivery-outbox';
import { Attachments1764460000000 } from './migrations/1764460000000-attachments';
import { Comments1764480000000 } from './migrations/1764480000000-comments';
import { Search1764490000000 } from './migrations/1764490000000-search';
import { PlanXlsxFormat1764505000000 } from './migrations/1764505000000-plan-xlsx-format';
import { EscalationQueue1764512180000 } from './migrations/1764512180000-escalation-queue';
import { ReadModelAtScale1796594400000 } from './migrations/1796594400000-read-model-at-scale';
import { Bulletins1764500000000 } from './migrations/1764500000000-bulletins';
import { ListOrderIndexes1764495000000 } from './migrations/1764495000000-list-order-indexes';
import { CommentEntity } from './entities/comment.entity';
import { AssignmentEntity } from './entities/assignment.entity';
import { PlanEntity } from './entities/plan.entity';
import { TaskEntity } from './entities/task.entity';

export const ENTITIES = [
  UnitEntity,
  UserEntity,
  LoginAttemptEntity,
  PlanEntity,
  TaskEntity,
  AssignmentEntity,
  CalendarOverrideEntity,
  AuditEventEntity,
  CommentEntity,
];
/** In the order they run. A landed migration is never edited; add a new one. */
export const MIGRATIONS = [
  Identity1764270000000,
  Plans1764280000000,
  CalendarOverrides1764290000000,
  AuditLog1764300000000,
  Notifications1764310000000,
  WiderStatus1764320000000,
  Escalations1764330000000,
  IdempotencyKeys1764340000000,
  CalendarYears1764350000000,
  ExtensionRequests1764360000000,
  AddedAssignments1764370000000,
  Calls1764380000000,
  LoginAttemptReservations1764390000000,
  TokenVersions1764391000000,
  IdempotencyResponseText1764395000000,
  ClosedExtensionRequests1764396000000,
  AssessedDueAt1764397000000,
  UserAccounts1764400000000,
  UnitLifecycle1764420000000,
  HandlersDelegations1764430000000,
  NotificationReads1764440000000,
  DeliveryOutbox1764450000000,
  Attachments1764460000000,
  Comments1764480000000,
  Search1764490000000,
  PlanXlsxFormat1764505000000,
  Bulletins1764500000000,
  ListOrderIndexes1764495000000,
  EscalationQueue1764512180000,
  ReadModelAtScale1796594400000,
];

export interface DataSourceOptions {
  url: string;
  /** Name shown in pg_stat_activity, so an operator can tell the API's connections from the worker's. */
  applicationName?: string;
  poolSize?: number;
  /** How long a query may wait for a pooled connection before failing (so /health answers instead of hanging). */
  connectTimeoutMs?: number;
  /**
   * Postgres role every session switches to (SET ROLE at connection start). The API and the worker use
   * APP_DATABASE_ROLE, which cannot UPDATE or DELETE audit events; migrations run as the owner.
   */
  role?: string;
}

/** The restricted role migrations create for the API and the worker. */
export const APP_DATABASE_ROLE = 'county_app';

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Schema changes only ever happen through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 5000,
    extra: {
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      ...(options.role ? { options: `-c role=${options.role}` } : {}),
    },
  });
}

/** Arbitrary but fixed key: every process that migrates takes the same Postgres advisory lock. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Runs pending migrations under a session advisory lock, so several API or worker replicas starting at
 * once do not race to apply the same migration. Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
