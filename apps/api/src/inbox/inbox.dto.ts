import { PageQuery, PageResponse } from '../common/pagination';
import { LatestReportResponse } from '../assignments/assignments.dto';
import { ApiProperty } from '@nestjs/swagger';
import {
  ASSIGNMENT_ACTIONS,
  AssignmentAction,
  CALL_ITEM_ACTIONS,
  CallItemAction,
  TASK_ACTIONS,
  TaskAction,
} from '@county/domain';
import { NullableString, Strings } from '../common/api-schema';
import { MAX_SENT_ITEMS } from '@county/persistence';
import { EscalationResponse } from '../escalations/escalations.dto';

import { HandlerResponse } from '../people/people.dto';

/** The 催办 a unit received on its work since it last acted on it (shown on the 待办 card until it acts). */
export class OpenUrgesResponse {
  @ApiProperty({ description: 'how many since the unit last acted' }) count!: number;
  @ApiProperty({ format: 'date-time' }) lastAt!: string;
  @ApiProperty({ example: '督查室催办：…' }) lastTitle!: string;
  @ApiProperty({ description: "the latest 催办's text" }) lastText!: string;
}

export class InboxItemResponse {
  @ApiProperty({
    enum: ['work', 'review', 'consolidate', 'verify'],
    description: 'what is asked of the reader: do the work, review a report, consolidate a task, verify and close one',
  })
  kind!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() taskNo!: number;
  @ApiProperty() taskTitle!: string;
  @ApiProperty({ format: 'uuid', description: "the task's list (待办 groups rows by it)" }) planId!: string;
  @ApiProperty({ example: '平罗县2021年基层审批服务执法力量整合任务清单' }) planTitle!: string;
  @NullableString({ description: 'null for a task row (consolidate, verify)' }) assignmentId!: string | null;
  @NullableString() unitId!: string | null;
  @NullableString() role!: string | null;
  @ApiProperty({ description: "the assignment's status, or the task's for a task row" }) status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty() taskStatus!: string;
  @Strings() leadUnitIds!: string[];
  @ApiProperty({
    enum: ASSIGNMENT_ACTIONS,
    enumName: 'AssignmentAction',
    isArray: true,
    description: "what the current user may do to the row's assignment now (empty for a task row)",
  })
  allowedActions!: AssignmentAction[];
  @ApiProperty({
    enum: TASK_ACTIONS,
    enumName: 'TaskAction',
    isArray: true,
    description: "what the current user may do to the row's task now",
  })
  taskActions!: TaskAction[];
  @ApiProperty({ type: HandlerResponse, nullable: true, description: "承办人 of the row's assignment" })
  handler!: HandlerResponse | null;
  @ApiProperty({
    type: OpenUrgesResponse,
    nullable: true,
    description: 'the 催办 of a work row since its unit last acted (null: none, or not a work row)',
  })
  urges!: OpenUrgesResponse | null;
  @ApiProperty({
    type: LatestReportResponse,
    nullable: true,
    description:
      "the row's report at the point of decision: what a review decides on, why a returned report came back (null for a task row)",
  })
  report!: LatestReportResponse | null;
}

export class CallInboxItemResponse {
  @ApiProperty({ enum: ['respond', 'resolve', 'evaluate'] }) kind!: string;
  @ApiProperty({ format: 'uuid' }) callId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() urgency!: string;
  @ApiProperty() fromUnitId!: string;
  @ApiProperty() toUnitId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty({ enum: CALL_ITEM_ACTIONS, enumName: 'CallAction', isArray: true }) allowedActions!: CallItemAction[];
  @ApiProperty({ type: HandlerResponse, nullable: true, description: '承办人 of the call' })
  handler!: HandlerResponse | null;
}

/** Something the reader's unit sent that waits for someone else's decision (已报送，待审核). */
export class SentItemResponse {
  @ApiProperty({
    enum: ['report', 'consolidation', 'extension'],
    description:
      "report: the unit's report waits for the lead unit's review; consolidation: its 汇总 waits for 销号; extension: its extension request waits for the supervision office",
  })
  kind!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() taskNo!: number;
  @ApiProperty() taskTitle!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() planTitle!: string;
  @NullableString({ format: 'uuid', description: 'null for a 汇总' }) assignmentId!: string | null;
  @ApiProperty() unitId!: string;
  @ApiProperty({ description: "the assignment's status (report), the task's (consolidation) or the request's" })
  status!: string;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @NullableString({ format: 'date-time', description: 'when it was sent' }) sentAt!: string | null;
  @NullableString({ format: 'date-time', description: 'extension: the date asked for' }) requestedDueAt!: string | null;
  @NullableString({ description: 'extension: why' }) reason!: string | null;
}

/**
 * Both lists page together with one cursor: each page brings up to `limit` rows of each; a list that has
 * ended answers none while the other goes on.
 */
export class InboxQuery extends PageQuery {}

export class InboxResponse extends PageResponse {
  @ApiProperty({
    type: [InboxItemResponse],
    description: "the reader's own rows (承办人) first, then most urgent first",
  })
  items!: InboxItemResponse[];
  @ApiProperty({ type: [CallInboxItemResponse], description: "the reader's own calls first, then most urgent first" })
  calls!: CallInboxItemResponse[];
  @ApiProperty({
    type: [SentItemResponse],
    description: `what the reader's unit sent and waits on, newest first (at most ${MAX_SENT_ITEMS}); on the first page only (later pages answer none)`,
  })
  sent!: SentItemResponse[];
  @ApiProperty({
    type: [EscalationResponse],
    description:
      "督办 waiting for the reader, on the first page only (the queue, GET /escalations, has them all): the supervision office's open items; a county leader's level-3 items not yet marked 已阅",
  })
  escalations!: EscalationResponse[];
  @ApiProperty({ description: 'more 督办 items wait than escalations lists (see GET /escalations)' })
  moreEscalations!: boolean;
}
