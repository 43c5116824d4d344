import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsUUID, MaxLength } from 'class-validator';
import { Role } from '@county/domain';
import { NullableString } from '../common/api-schema';
import { PageResponse } from '../common/pagination';
import { UserResponse } from '../auth/auth.dto';

export class SetHandlerRequest {
  @ApiProperty({ format: 'uuid', description: 'a colleague of the unit that works the item (staff or head)' })
  @IsUUID()
  userId!: string;
}

/** 承办人: the colleague handling an item for their unit (the unit stays responsible). */
export class HandlerResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @NullableString({
    description: "shown to the unit, the task's lead units (or the calling township), the office and leaders",
  })
  phone!: string | null;
  @ApiProperty({ format: 'date-time' }) setAt!: string;
}

export class ColleagueResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: Role, isArray: true }) roles!: string[];
  @NullableString() phone!: string | null;
}

export class ColleagueListResponse extends PageResponse {
  @ApiProperty({ type: [ColleagueResponse] }) items!: ColleagueResponse[];
}

export class DelegationRequest {
  @ApiProperty({ format: 'uuid', description: 'a colleague of the same unit who is not a head' })
  @IsUUID()
  deputyUserId!: string;

  @ApiProperty({ format: 'date-time', maxLength: 40, example: '2027-03-09T00:00:00+08:00' })
  @MaxLength(40)
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ format: 'date-time', maxLength: 40, example: '2027-03-20T00:00:00+08:00' })
  @MaxLength(40)
  @IsISO8601({ strict: true })
  endsAt!: string;
}

/** 委派: a head's approvals handed to a deputy of the same unit for a window. */
export class DelegationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ format: 'uuid' }) headUserId!: string;
  @ApiProperty() headName!: string;
  @ApiProperty({ format: 'uuid' }) deputyUserId!: string;
  @ApiProperty() deputyName!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @NullableString({ format: 'date-time' }) revokedAt!: string | null;
  @ApiProperty({ description: 'the head is still an enabled head of the unit (else the delegation lends nothing)' })
  headInOffice!: boolean;
  @ApiProperty({ description: 'the deputy signs off for the head now' }) active!: boolean;
  @ApiProperty({ enum: ['revoke'], isArray: true }) allowedActions!: Array<'revoke'>;
}

export class DelegationListResponse extends PageResponse {
  @ApiProperty({ type: [DelegationResponse] }) items!: DelegationResponse[];
}

/** The signed-in user, with the delegations they gave or received that have not ended. */
export class MeResponse extends UserResponse {
  @ApiProperty({ type: [DelegationResponse] }) delegations!: DelegationResponse[];
}
