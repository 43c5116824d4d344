import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, Role, taskProgress, User } from '@county/domain';
import { ExtensionRequestRepository, PLAN_KEY, PlanRepository, ReportRepository } from '@county/persistence';
import { pageOf, PageQuery, pageRequest } from '../common/pagination';
import { assignmentItem } from '../assignments/assignments.service';
import { PeopleService } from '../people/people.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import { POLICY_MAX_LENGTH, readImportForm } from './import-form';
import { PlanImportService } from './plan-import.service';
import {
  ImportedPlanResponse,
  PlanDetailResponse,
  PlanListResponse,
  PlanPreviewResponse,
  PlanWithTasksResponse,
} from './plans.dto';

const IMPORT_FORM_SCHEMA = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description: 'the task list: .txt table export, .docx or .xlsx (≤ 10 MB; read by content, not by file name)',
      },
      policy: {
        type: 'string',
        maxLength: POLICY_MAX_LENGTH,
        description: 'JSON object: the plan policy (defaults apply when omitted)',
      },
      year: { type: 'integer', description: 'move every deadline into this year' },
      allowNewUnits: { type: 'boolean', description: 'add names missing from the unit registry as new units' },
      allowDuplicate: { type: 'boolean', description: 'import a file that was imported before' },
    },
  },
};

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(
    private readonly imports: PlanImportService,
    private readonly plans: PlanRepository,
    private readonly workflows: WorkflowGateway,
    private readonly extensionRequests: ExtensionRequestRepository,
    private readonly people: PeopleService,
    private readonly reports: ReportRepository,
  ) {}

  @Post('preview')
  @HttpCode(200)
  @Roles(Role.Supervisor, Role.Admin)
  @ApiConsumes('multipart/form-data')
  @ApiBody(IMPORT_FORM_SCHEMA)
  @ApiOkResponse({ type: PlanPreviewResponse })
  @ApiOperation({ summary: 'Parse a task list and resolve its units; nothing is stored.' })
  async preview(@Req() request: FastifyRequest): Promise<PlanPreviewResponse> {
    return this.imports.preview(await readImportForm(request));
  }

  @Post()
  @Roles(Role.Supervisor, Role.Admin)
  @ApiConsumes('multipart/form-data')
  @ApiBody(IMPORT_FORM_SCHEMA)
  @ApiCreatedResponse({ type: ImportedPlanResponse })
  @ApiOperation({ summary: 'Import a task list: the plan, its tasks and one assignment per task × unit.' })
  async import(@Req() request: FastifyRequest, @CurrentUser() user: User): Promise<ImportedPlanResponse> {
    return this.imports.import(await readImportForm(request), user);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles(Role.Supervisor, Role.Admin)
  @ApiOkResponse({ type: PlanWithTasksResponse })
  @ApiOperation({
    summary: "Start the plan's task workflows if they are not running (after an import met a Temporal outage).",
  })
  async start(@Param('id') id: string): Promise<PlanWithTasksResponse> {
    const plan = await this.plans.findWithTasks(id);
    if (!plan) throw new DomainError(ErrorCode.NotFound, `没有这份清单（${id}）。`);
    await this.workflows.startPlan(plan);
    return plan;
  }

  @Get()
  @ApiOkResponse({ type: PlanListResponse })
  @ApiOperation({ summary: 'Imported plans, newest first, each with how much of its work is still open.' })
  async list(@Query() query: PageQuery): Promise<PlanListResponse> {
    const page = await this.plans.list(pageRequest(query, PLAN_KEY.length));
    return { ...pageOf(page), total: page.total };
  }

  @Get(':id')
  @ApiOkResponse({ type: PlanDetailResponse })
  @ApiOperation({
    summary:
      "A plan with its tasks and their assignments, each with what you may do to it now (the board's 催办) and its latest reported percentage; each task with its units counted by how far they got (签收, 提交, 通过 of N).",
  })
  async get(@Param('id') id: string, @CurrentUser() user: User): Promise<PlanDetailResponse> {
    const plan = await this.plans.findWithTasks(id);
    if (!plan) throw new DomainError(ErrorCode.NotFound, `没有这份清单（${id}）。`);
    const ids = plan.tasks.flatMap((task) => task.assignments.map((assignment) => assignment.id));
    // One query each for the whole plan (the board of the seed plan is ~300 assignments: no query per unit).
    const [pending, people, percents] = await Promise.all([
      this.extensionRequests.pendingFor(ids),
      this.people.facts(user, 'assignments', ids),
      this.reports.latestPercents(ids),
    ]);
    return {
      ...plan,
      tasks: plan.tasks.map((task) => {
        const assignments = task.assignments.map((assignment) => ({
          ...assignmentItem(user, assignment, task, pending, people),
          percent: percents.get(assignment.id) ?? null,
        }));
        return { ...task, assignments, progress: taskProgress(assignments) };
      }),
    };
  }
}
