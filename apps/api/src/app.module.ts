import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { AssignmentsController } from './assignments/assignments.controller';
import { AssignmentsService } from './assignments/assignments.service';
import { AuditController } from './audit/audit.controller';
import { AuthModule } from './auth/auth.module';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { CallsController } from './calls/calls.controller';
import { CallsService } from './calls/calls.service';
import { ApiConfig } from './config';
import { ApiMetrics } from './metrics/api-metrics';
import { DashboardController } from './dashboard/dashboard.controller';
import { EscalationsController } from './escalations/escalations.controller';
import { ExtensionsController } from './extensions/extensions.controller';
import { ExtensionsService } from './extensions/extensions.service';
import { EscalationsService } from './escalations/escalations.service';
import { HealthController } from './health/health.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { HealthService } from './health/health.service';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { MeController } from './me/me.controller';
import { ColleaguesController, DelegationsController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { NotificationsController } from './notifications/notifications.controller';
import { PlanImportService } from './plans/plan-import.service';
import { PlansController } from './plans/plans.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { UnitsController } from './units/units.controller';
import { UnitsService } from './units/units.service';
import { StaffImportController } from './users/staff-import.controller';
import { StaffImportService } from './users/staff-import.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { WorkflowGateway } from './temporal/workflow-gateway';
import { ChannelsController } from './channels/channels.controller';
import { ChannelsService } from './channels/channels.service';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { UrgesController } from './urges/urges.controller';
import { UrgesService } from './urges/urges.service';
import { CommentsController } from './comments/comments.controller';
import { DoneController, SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
import { CommentsService } from './comments/comments.service';
import { AssessmentController, AssessmentExportController } from './assessment/assessment.controller';
import { AssessmentService } from './assessment/assessment.service';
import { ExportsController } from './exports/exports.controller';
import { ExportsService } from './exports/exports.service';
import { BulletinsController } from './bulletins/bulletins.controller';
import { BulletinsService } from './bulletins/bulletins.service';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, metrics: ApiMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config, metrics), AuthModule],
      controllers: [
        HealthController,
        MeController,
        UnitsController,
        PlansController,
        CalendarController,
        AuditController,
        TasksController,
        AssignmentsController,
        NotificationsController,
        EscalationsController,
        InboxController,
        ExtensionsController,
        CallsController,
        DashboardController,
        StaffImportController,
        DelegationsController,
        ColleaguesController,
        UsersController,
        UrgesController,
        ChannelsController,
        DeliveriesController,
        AttachmentsController,
        CommentsController,
        AssessmentController,
        AssessmentExportController,
        ExportsController,
        SearchController,
        DoneController,
        BulletinsController,
      ],
      providers: [
        HealthService,
        PlanImportService,
        UnitsService,
        CalendarService,
        WorkflowGateway,
        AssignmentsService,
        CallsService,
        TasksService,
        InboxService,
        ExtensionsService,
        EscalationsService,
        StaffImportService,
        PeopleService,
        UsersService,
        UrgesService,
        ChannelsService,
        AttachmentsService,
        CommentsService,
        AssessmentService,
        ExportsService,
        SearchService,
        BulletinsService,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
