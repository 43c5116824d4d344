import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { NullableString } from '../common/api-schema';
import { BooleanQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export class NotificationQuery extends PageQuery {
  @BooleanQuery({ default: false, description: 'true: notifications this user has not read only' }) unread?: boolean;
  // Kinds are short identifiers (deadline-reminder, escalation-level-3…); the column holds 40.
  @ApiPropertyOptional({ maxLength: 40, description: 'only this kind, e.g. deadline-reminder' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  kind?: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() recipientUnitId!: string;
  @NullableString({ description: 'null: for everyone in the unit' }) recipientRole!: string | null;
  @ApiProperty() kind!: string;
  @ApiProperty() subjectType!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @NullableString({ format: 'date-time', description: 'when this user read it; null: unread for this user' })
  readAt!: string | null;
  @ApiProperty({
    description: 'the console path of its item, e.g. /tasks/{taskId} for a task or an assignment, /calls for a call',
  })
  link!: string;
}

export class NotificationListResponse extends PageResponse {
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
  @ApiProperty({ description: 'all of this user’s unread notifications, not only those on this page' })
  unreadCount!: number;
}

export class UnreadCountResponse {
  @ApiProperty() unreadCount!: number;
}

export class MarkAllReadResponse {
  @ApiProperty({ description: 'how many notifications were newly marked read' }) marked!: number;
}
