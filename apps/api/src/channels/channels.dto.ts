import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import {
  CHANNEL_KINDS,
  CHANNEL_SECRET_MAX_LENGTH,
  CHANNEL_URL_MAX_LENGTH,
  ChannelKind,
  TEXT_LIMITS,
} from '@county/domain';
import { NullableString } from '../common/api-schema';
import { TextField } from '../common/text-field';
import { PageQuery, PageResponse } from '../common/pagination';

export class ChannelEndpointQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.unitId, description: "only this unit's robots and webhooks" })
  @IsOptional()
  @IsString()
  @Length(1, TEXT_LIMITS.unitId)
  unitId?: string;
}

/** A new robot or webhook; the URL and secret are checked by validateChannelEndpoint (400 naming the field). */
export class ChannelEndpointRequest {
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: TEXT_LIMITS.unitId,
    description: 'the unit whose notifications it receives; null: county-wide (webhooks only: the OA or SMS gateway)',
  })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, TEXT_LIMITS.unitId)
  unitId!: string | null;

  @ApiProperty({
    enum: CHANNEL_KINDS,
    description: 'wecom: 企业微信群机器人; dingtalk: 钉钉自定义机器人; webhook: signed JSON',
  })
  @IsIn(CHANNEL_KINDS)
  kind!: ChannelKind;

  @TextField('unitName', { example: '城关镇工作群' }) name!: string;

  @ApiProperty({ maxLength: CHANNEL_URL_MAX_LENGTH, example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' })
  @IsString()
  @MaxLength(CHANNEL_URL_MAX_LENGTH)
  url!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: CHANNEL_SECRET_MAX_LENGTH,
    description:
      "钉钉: the robot's signing secret (SEC…); webhook: the HMAC key (required). Omitted on a change: kept.",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(CHANNEL_SECRET_MAX_LENGTH)
  secret?: string | null;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class ChannelEndpointResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @NullableString({ description: 'null: county-wide' }) unitId!: string | null;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind!: ChannelKind;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ description: 'whether a secret is set (the secret itself is never answered)' }) hasSecret!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ChannelEndpointListResponse extends PageResponse {
  @ApiProperty({ type: [ChannelEndpointResponse] }) items!: ChannelEndpointResponse[];
}
