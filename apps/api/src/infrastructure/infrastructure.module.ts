import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import {
  APP_DATABASE_ROLE,
  AssessmentRepository,
  AttachmentRepository,
  BulletinRepository,
  ReportRepository,
  SearchRepository,
  AuditRepository,
  CalendarOverrideRepository,
  CallRepository,
  ChannelEndpointRepository,
  CommentRepository,
  openReleaseDataSource,
  DashboardRepository,
  DeliveryRepository,
  ExportRepository,
  DataSource,
  EscalationRepository,
  ExtensionRequestRepository,
  IdempotencyRepository,
  LoginAttemptRepository,
  NotificationRepository,
  PeopleRepository,
  PlanRepository,
  TaskRepository,
  UnitRepository,
  UrgeRepository,
  UserRepository,
} from '@county/persistence';
import { FileAttachmentStore } from '@county/storage';
import { ApiConfig } from '../config';
import { ApiMetrics } from '../metrics/api-metrics';
import {
  API_CONFIG,
  ATTACHMENT_STORE,
  DATA_SOURCE,
  TEMPORAL_CLIENT,
  TEMPORAL_CONNECTION,
  TEMPORAL_PROBE_CONNECTION,
} from './tokens';

/** Every repository is constructed the same way, over the one DataSource. */
const REPOSITORIES = [
  UnitRepository,
  UserRepository,
  LoginAttemptRepository,
  PlanRepository,
  CalendarOverrideRepository,
  AuditRepository,
  TaskRepository,
  NotificationRepository,
  IdempotencyRepository,
  EscalationRepository,
  ExtensionRequestRepository,
  CallRepository,
  DashboardRepository,
  PeopleRepository,
  UrgeRepository,
  DeliveryRepository,
  ChannelEndpointRepository,
  AttachmentRepository,
  ReportRepository,
  CommentRepository,
  AssessmentRepository,
  ExportRepository,
  SearchRepository,
  BulletinRepository,
] as const;

/**
 * Connections to PostgreSQL and Temporal, and the repositories over them. Both connections are made so
 * that the API starts and answers (503 from /health) even while a dependency is down, and recovers by
 * itself when it comes back.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Infrastructure');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CONNECTION) private readonly temporal: Connection,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly temporalProbe: Connection,
  ) {}

  static forRoot(config: ApiConfig, metrics: ApiMetrics): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        // The application's metrics (app.factory.ts serves them): services count what only they see.
        { provide: ApiMetrics, useValue: metrics },
        { provide: ATTACHMENT_STORE, useValue: new FileAttachmentStore(config.attachmentsDir) },
        {
          provide: DATA_SOURCE,
          useFactory: () =>
            openReleaseDataSource(
              { url: config.databaseUrl, applicationName: 'county-api', role: APP_DATABASE_ROLE },
              'the API',
            ),
        },
        {
          provide: TEMPORAL_CONNECTION,
          // Lazy: the first RPC connects, so a Temporal outage does not stop the API from starting.
          useFactory: () => Connection.lazy({ address: config.temporalAddress }),
        },
        {
          provide: TEMPORAL_CLIENT,
          useFactory: (connection: Connection) => new Client({ connection, namespace: config.temporalNamespace }),
          inject: [TEMPORAL_CONNECTION],
        },
        {
          provide: TEMPORAL_PROBE_CONNECTION,
          // No retry interceptor: a health probe reports what it sees now. (The SDK's retries also keep
          // running after a call is abandoned, and would outlive the connection at shutdown.)
          useFactory: () => Connection.lazy({ address: config.temporalAddress, interceptors: [] }),
        },
        ...REPOSITORIES.map((Repository) => ({
          provide: Repository,
          useFactory: (dataSource: DataSource) => new Repository(dataSource),
          inject: [DATA_SOURCE],
        })),
      ],
      exports: [
        API_CONFIG,
        ApiMetrics,
        ATTACHMENT_STORE,
        DATA_SOURCE,
        TEMPORAL_CONNECTION,
        TEMPORAL_CLIENT,
        TEMPORAL_PROBE_CONNECTION,
        ...REPOSITORIES,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([
      this.dataSource.isInitialized ? this.dataSource.destroy() : Promise.resolve(),
      this.temporal.close(),
      this.temporalProbe.close(),
    ]).then((results) =>
      results
        .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
        .forEach((result) => this.logger.warn(`shutdown: ${String(result.reason)}`)),
    );
  }
}
