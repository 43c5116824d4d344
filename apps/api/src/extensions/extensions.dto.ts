import { AttachmentIds, AttachmentRefResponse } from '../attachments/attachments.dto';
import { ApiProperty } from '@nestjs/swagger';
import { EXTENSION_ACTIONS, EXTENSION_REQUEST_STATUSES, ExtensionAction, ExtensionRequestStatus } from '@county/domain';
import { NullableString } from '../common/api-schema';
import { DeadlineField, TextField } from '../common/text-field';
import { EnumQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export class ExtensionRequestBody {
  @DeadlineField({ example: '2027-07-31T23:59:59+08:00' }) requestedDueAt!: string;
  @TextField('reason', { example: '需等待上级文件下发' }) reason!: string;
  @AttachmentIds() attachmentIds?: string[];
}

export class DecisionBody {
  @TextField('note', { optional: true }) comment?: string;
}

export class ExtensionRequestQuery extends PageQuery {
  @EnumQuery(EXTENSION_REQUEST_STATUSES, { default: 'pending' }) status?: ExtensionRequestStatus;
}

export class ExtensionRequestResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'date-time' }) requestedDueAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: EXTENSION_REQUEST_STATUSES, enumName: 'ExtensionRequestStatus' })
  status!: ExtensionRequestStatus;
  @ApiProperty() requestedBy!: string;
  @NullableString() decidedBy!: string | null;
  @NullableString() comment!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @NullableString({ format: 'date-time' }) decidedAt!: string | null;
  @ApiProperty({ type: [AttachmentRefResponse], description: '佐证材料 sent with the request' })
  attachments!: AttachmentRefResponse[];
  @ApiProperty({
    enum: EXTENSION_ACTIONS,
    enumName: 'ExtensionAction',
    isArray: true,
    description: 'what the current user may do with it now, in the order the console shows buttons',
  })
  allowedActions!: ExtensionAction[];
}

export class ExtensionRequestViewResponse extends ExtensionRequestResponse {
  @ApiProperty() unitId!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() taskNo!: number;
  @ApiProperty() taskTitle!: string;
  @NullableString({ format: 'date-time' }) currentDueAt!: string | null;
}

export class ExtensionRequestListResponse extends PageResponse {
  @ApiProperty({ type: [ExtensionRequestViewResponse] }) items!: ExtensionRequestViewResponse[];
}
