import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Unit, User } from '@county/domain';
import { AccessToken } from './token.service';
import { UnitResponse, toUnitResponse } from '../units/units.dto';
import { Role } from '@county/domain';

export class LoginRequest {
  @ApiProperty({ example: 'approval.staff', maxLength: 80 })
  @IsString()
  @Length(1, 80)
  username!: string;

  @ApiProperty({ example: 'pingluo-demo-2021', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class UserResponse {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: Role, isArray: true }) roles!: Role[];
  @ApiProperty({ type: UnitResponse }) unit!: UnitResponse;
}

export class LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export function toUserResponse(user: User, unit: Unit): UserResponse {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    unitId: user.unitId,
    roles: user.roles,
    unit: toUnitResponse(unit),
  };
}

export function toLoginResponse(token: AccessToken, user: User, unit: Unit): LoginResponse {
  return {
    accessToken: token.accessToken,
    tokenType: 'Bearer',
    expiresIn: token.expiresIn,
    user: toUserResponse(user, unit),
  };
}
