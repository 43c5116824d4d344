import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Unit, User } from '@county/domain';
import { AccessToken } from './token.service';
import { UnitResponse, toUnitResponse } from '../units/units.dto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, Role } from '@county/domain';

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
  @ApiProperty({
    description:
      'signed in with a one-time password: only POST /auth/password, GET /me and logout work until it is changed',
  })
  mustChangePassword!: boolean;
}

export class LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export function toUserResponse(user: User, unit: Unit, mustChangePassword: boolean): UserResponse {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    unitId: user.unitId,
    roles: user.roles,
    unit: toUnitResponse(unit),
    mustChangePassword,
  };
}

export function toLoginResponse(
  token: AccessToken,
  user: User & { mustChangePassword: boolean },
  unit: Unit,
): LoginResponse {
  return {
    accessToken: token.accessToken,
    tokenType: 'Bearer',
    expiresIn: token.expiresIn,
    user: toUserResponse(user, unit, user.mustChangePassword),
  };
}

export class ChangePasswordRequest {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({
    maxLength: PASSWORD_MAX_LENGTH,
    description: `at least ${PASSWORD_MIN_LENGTH} characters, not containing the username, not a common password`,
  })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  newPassword!: string;
}
