import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';
import { DomainError, ErrorCode, Role, TEXT_LIMITS, User } from '@county/domain';
import { EscalationRecord, EscalationRepository } from '@county/persistence';
import { AssignmentsService } from '../assignments/assignments.service';
import { CallsService } from '../calls/calls.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { DeadlineField, TextField } from '../common/text-field';
import { BooleanQuery, IntegerQuery } from '../common/query-params';

/** What the supervision office can do with an escalation: 催办, extend the deadline, 转办, 挂牌督办. */
const ACTIONS = ['remind', 'extend', 'reassign', 'flag'] as const;

export class EscalationQuery {
  @BooleanQuery({ default: true, description: 'false: handled escalations too' }) open?: boolean;
  @IntegerQuery({ default: 200, minimum: 1, maximum: 500 }) limit?: number;
}

export class HandleEscalationRequest {
  @ApiProperty({ enum: ACTIONS }) @IsIn(ACTIONS) action!: (typeof ACTIONS)[number];
  @TextField('reason') note!: string;
  @DeadlineField<HandleEscalationRequest>({
    requiredWhen: (request) => request.action === 'extend',
    description: 'the new deadline, for action "extend"',
  })
  dueAt?: string;
  @ApiPropertyOptional({
    description: 'the unit that takes over the work or the call, for action "reassign"',
    maxLength: TEXT_LIMITS.unitId,
  })
  @ValidateIf(
    (request: HandleEscalationRequest, value: unknown) => request.action === 'reassign' || value !== undefined,
  )
  @IsString()
  @Length(1, TEXT_LIMITS.unitId)
  toUnitId?: string;
}

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly assignments: AssignmentsService,
    private readonly calls: CallsService,
  ) {}

  @Get()
  @Roles(Role.Supervisor, Role.Leader)
  @ApiOperation({ summary: 'The escalation queue, highest level first. Leaders see level 3 (挂牌督办) only.' })
  async list(@CurrentUser() user: User, @Query() query: EscalationQuery): Promise<{ items: EscalationRecord[] }> {
    const minLevel = user.roles.includes(Role.Supervisor) ? 1 : 3;
    return {
      items: await this.escalations.list({ openOnly: query.open ?? true, minLevel, limit: query.limit ?? 200 }),
    };
  }

  @Post(':id/handle')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({
    summary:
      'Handle an escalation: remind the unit, extend the deadline, reassign the work (转办), or flag it (挂牌督办).',
  })
  async handle(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: HandleEscalationRequest,
  ): Promise<EscalationRecord> {
    const escalation = await this.escalations.find(id);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `No escalation ${id}.`);
    if (escalation.handledAt)
      throw new DomainError(ErrorCode.Conflict, `Escalation ${id} was already handled (${escalation.action}).`);
    if (escalation.subjectType === 'call') {
      await this.calls.superviseFromEscalation(escalation, user, body);
    } else if (body.action === 'reassign') {
      await this.assignments.reassign(escalation.subjectId, user, body.toUnitId!, body.note);
    } else if (body.action === 'extend') {
      // 延期 from an escalation moves that unit's deadline, not the whole task's (issue 13).
      await this.assignments.extendDeadline(escalation.subjectId, new Date(body.dueAt!).toISOString(), body.note);
    }
    const remindUnit = body.action === 'remind' ? (escalation.unitId ?? escalation.targetUnitId) : null;
    const handled = await this.escalations.markHandled(
      id,
      body.action,
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: `escalation.${body.action}`,
        subjectType: escalation.subjectType,
        subjectId: escalation.subjectId,
        workflowId: null,
        payload: {
          escalationId: id,
          level: escalation.level,
          note: body.note,
          dueAt: body.dueAt ?? null,
          toUnitId: body.toUnitId ?? null,
        },
      },
      remindUnit
        ? {
            recipientUnitId: remindUnit,
            recipientRole: null,
            kind: 'supervision-reminder',
            subjectType: escalation.subjectType,
            subjectId: escalation.subjectId,
            title: '督查室催办',
            body: body.note,
          }
        : undefined,
      // Reassigning ends the work and moving the deadline removes the cause: either may already have marked
      // this escalation `resolved` by the time it is recorded as handled.
      body.action === 'reassign' || body.action === 'extend',
    );
    if (!handled) throw new DomainError(ErrorCode.Conflict, `Escalation ${id} was already handled.`);
    return (await this.escalations.find(id))!;
  }
}
