import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, PlanSummary, Role, User } from '@county/domain';
import { PlanRepository, PlanWithTasks } from '@county/persistence';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { WorkflowGateway } from '../workflows/workflow-gateway';
import { POLICY_MAX_LENGTH, readImportForm } from './import-form';
import { ImportedPlan, PlanImportService, PlanPreview } from './plan-import.service';

const IMPORT_FORM_SCHEMA = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: { type: 'string', format: 'binary', description: 'the task list: .txt table export or .docx (≤ 10 MB)' },
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
  ) {}

  @Post('preview')
  @HttpCode(200)
  @Roles(Role.Supervisor, Role.Admin)
  @ApiConsumes('multipart/form-data')
  @ApiBody(IMPORT_FORM_SCHEMA)
  @ApiOperation({ summary: 'Parse a task list and resolve its units; nothing is stored.' })
  async preview(@Req() request: FastifyRequest): Promise<PlanPreview> {
    return this.imports.preview(await readImportForm(request));
  }

  @Post()
  @Roles(Role.Supervisor, Role.Admin)
  @ApiConsumes('multipart/form-data')
  @ApiBody(IMPORT_FORM_SCHEMA)
  @ApiOperation({ summary: 'Import a task list: the plan, its tasks and one assignment per task × unit.' })
  async import(@Req() request: FastifyRequest, @CurrentUser() user: User): Promise<ImportedPlan> {
    return this.imports.import(await readImportForm(request), user);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles(Role.Supervisor, Role.Admin)
  @ApiOperation({
    summary: "Start the plan's task workflows if they are not running (after an import met a Temporal outage).",
  })
  async start(@Param('id') id: string): Promise<PlanWithTasks> {
    const plan = await this.plans.findWithTasks(id);
    if (!plan) throw new DomainError(ErrorCode.NotFound, `No plan ${id}.`);
    await this.workflows.startPlan(plan);
    return plan;
  }

  @Get()
  @ApiOperation({ summary: 'Imported plans, newest first.' })
  async list(): Promise<{ items: PlanSummary[]; total: number }> {
    const items = await this.plans.list();
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A plan with its tasks and their assignments.' })
  async get(@Param('id') id: string): Promise<PlanWithTasks> {
    const plan = await this.plans.findWithTasks(id);
    if (!plan) throw new DomainError(ErrorCode.NotFound, `No plan ${id}.`);
    return plan;
  }
}
