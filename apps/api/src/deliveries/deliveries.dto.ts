import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { NullableString } from '../common/api-schema';
import { EnumQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export const DELIVERY_STATUSES = ['pending', 'sent', 'dead', 'skipped'] as const;
export const DELIVERY_CHANNELS = ['email', 'wecom', 'dingtalk', 'webhook'] as const;

export class DeliveryQuery extends PageQuery {
  @EnumQuery(DELIVERY_STATUSES, { description: 'dead: the dead letters (attempts used up or refused for good)' })
  status?: (typeof DELIVERY_STATUSES)[number];
  @ApiPropertyOptional({ format: 'uuid', description: "only this notification's deliveries" })
  @IsOptional()
  @IsUUID()
  notificationId?: string;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty() notificationTitle!: string;
  @ApiProperty() notificationKind!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: string;
  @NullableString({ format: 'uuid', description: 'the user an e-mail goes to' }) recipientUserId!: string | null;
  @NullableString({ format: 'uuid', description: 'the robot or webhook (null once removed)' })
  endpointId!: string | null;
  @ApiProperty({ description: 'the e-mail address, or the URL without its query (which may hold a token)' })
  address!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'not pushed before (working hours, DESIGN notes)' })
  notBefore!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'how often an admin sent it again' }) retries!: number;
  @NullableString() lastError!: string | null;
  @NullableString({ format: 'date-time' }) sentAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DeliveryListResponse extends PageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items!: DeliveryResponse[];
}
