import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { NotificationCategory, Role, ROLES, USER_ITEM_ACTIONS, USERNAME_PATTERN, UserItemAction } from '@county/domain';
import type { UserAccount } from '@county/persistence';
import { NullableString } from '../common/api-schema';
import { EnumQuery, IntegerQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) unitId?: string;
  @EnumQuery(ROLES) role?: Role;
  @ApiPropertyOptional({ maxLength: 200, description: 'part of the username, name, phone or e-mail' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  text?: string;
  @IntegerQuery({
    minimum: 0,
    maximum: 1_000_000,
    default: 0,
    description: 'rows to skip (older paging by position; cursor is the same for every list)',
  })
  offset?: number;
}

export class ContactFields {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 40, example: '13909520000' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(/^\+?[0-9][0-9 -]{4,38}$/, { message: 'phone must be a telephone number (digits, spaces, -)' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 254, example: 'zhang.san@pingluo.gov.cn' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string | null;
}

export class CreateUserRequest extends ContactFields {
  @ApiProperty({ example: 'zhang.san', pattern: USERNAME_PATTERN.source, maxLength: 80 })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 2–80 letters, digits, ".", "_" or "-"' })
  username!: string;

  @ApiProperty({ example: '张三', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'displayName must contain text, not only white space' })
  displayName!: string;
  @ApiProperty({ example: 'approval', maxLength: 40 }) @IsString() @Length(1, 40) unitId!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 40 },
    example: ['staff'],
    description: `each one of: ${ROLES.join(', ')}`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  roles!: string[];
}

export class UpdateUserRequest extends ContactFields {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'displayName must contain text, not only white space' })
  displayName?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) unitId?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 40 },
    description: `each one of: ${ROLES.join(', ')}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  roles?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
}

export class UserAccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: Role, isArray: true }) roles!: Role[];
  @NullableString() phone!: string | null;
  @NullableString() email!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'signed in with a one-time password that has not been changed yet' })
  mustChangePassword!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: USER_ITEM_ACTIONS, enumName: 'UserItemAction', isArray: true })
  allowedActions!: UserItemAction[];
}

export class UserListResponse extends PageResponse {
  @ApiProperty({ type: [UserAccountResponse] }) items!: UserAccountResponse[];
  @ApiProperty() total!: number;
}

export class UserWithPasswordResponse {
  @ApiProperty({ type: UserAccountResponse }) user!: UserAccountResponse;
  @ApiProperty({ description: 'shown once: the user signs in with it and must then choose their own password' })
  oneTimePassword!: string;
}

export function toUserAccountResponse(account: UserAccount, allowedActions: UserItemAction[]): UserAccountResponse {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    unitId: account.unitId,
    roles: account.roles,
    phone: account.phone,
    email: account.email,
    disabled: account.disabled,
    mustChangePassword: account.mustChangePassword,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
    allowedActions,
  };
}

/** A user's own notification settings: where they are reached outside the app, and for which categories. */
export class NotificationSettingsRequest extends ContactFields {
  @ApiPropertyOptional({
    type: 'array',
    nullable: true,
    items: { type: 'string', enum: Object.values(NotificationCategory) },
    description: 'the categories pushed outside the app; null: all (the default); [] none',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsArray()
  @ArrayMaxSize(Object.values(NotificationCategory).length)
  @IsIn(Object.values(NotificationCategory), { each: true })
  categories?: NotificationCategory[] | null;
}

export class NotificationSettingsResponse {
  @NullableString() phone!: string | null;
  @NullableString() email!: string | null;
  @ApiProperty({
    type: 'array',
    nullable: true,
    items: { type: 'string', enum: Object.values(NotificationCategory) },
    description: 'null: all categories',
  })
  categories!: NotificationCategory[] | null;
}

export function toNotificationSettings(account: UserAccount): NotificationSettingsResponse {
  return {
    phone: account.phone,
    email: account.email,
    categories: (account.notifyCategories as NotificationCategory[] | null) ?? null,
  };
}
