import { ApiProperty } from '@nestjs/swagger';
import { NullableString } from '../common/api-schema';
import { BooleanQuery, IntegerQuery } from '../common/query-params';

const MAX_PAGE = 200;

export class NotificationQuery {
  @BooleanQuery({ default: false, description: 'true: unread notifications only' }) unread?: boolean;
  @IntegerQuery({ default: 50, minimum: 1, maximum: MAX_PAGE }) limit?: number;
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
  @NullableString({ format: 'date-time' }) readAt!: string | null;
}

export class NotificationListResponse {
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
}
