import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RegistryUnit, TEXT_LIMITS, UnitAction, UnitKind } from '@county/domain';
import { TextField } from '../common/text-field';
import { PageResponse } from '../common/pagination';

export class UnitResponse {
  @ApiProperty({ example: 'approval' }) id!: string;
  @ApiProperty({ example: '县审批局' }) name!: string;
  @ApiProperty({ example: '平罗县行政审批服务局' }) fullName!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ enum: UnitKind }) kind!: UnitKind;
  @ApiProperty({ description: 'retired units are not offered or accepted for new work' }) retired!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the unit that took over the work of a merged unit' })
  mergedInto!: string | null;
  @ApiProperty({ enum: UnitAction, isArray: true, enumName: 'UnitAction' }) allowedActions!: UnitAction[];
}

export class UnitListResponse extends PageResponse {
  @ApiProperty({ type: [UnitResponse] }) items!: UnitResponse[];
  @ApiProperty({ description: 'units in all pages' }) total!: number;
}

export function toUnitResponse(unit: RegistryUnit, allowedActions: UnitAction[] = []): UnitResponse {
  return {
    id: unit.id,
    name: unit.name,
    fullName: unit.fullName,
    aliases: unit.aliases,
    kind: unit.kind,
    retired: unit.retired ?? false,
    mergedInto: unit.mergedInto ?? null,
    allowedActions,
  };
}

export class CreateUnitRequest {
  @ApiProperty({ example: 'culture-tourism', maxLength: 40, description: 'stable ASCII code, never changes' })
  @IsString()
  @MaxLength(40)
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: "id must be lowercase ASCII letters, digits and '-' (2–40 chars)" })
  id!: string;

  @TextField('unitName', { example: '县文旅局' }) name!: string;
  @TextField('unitName', { example: '平罗县文化旅游广电局' }) fullName!: string;

  @ApiPropertyOptional({
    type: 'array',
    maxItems: 20,
    items: { type: 'string', maxLength: TEXT_LIMITS.unitName },
    description: 'other spellings documents use',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.unitName, { each: true })
  aliases?: string[];

  @ApiProperty({ enum: UnitKind })
  @IsIn(Object.values(UnitKind))
  kind!: UnitKind;
}

export class RenameUnitRequest {
  @TextField('unitName', { optional: true, example: '县文广旅局' }) name?: string;
  @TextField('unitName', { optional: true, example: '平罗县文化广电和旅游局' }) fullName?: string;
}

export class MergeUnitRequest {
  @ApiProperty({ example: 'culture', maxLength: 40, description: 'the surviving unit that takes the work over' })
  @IsString()
  @MaxLength(40)
  intoUnitId!: string;
}

export class MergeUnitResponse {
  @ApiProperty({ type: UnitResponse }) retired!: UnitResponse;
  @ApiProperty({ type: UnitResponse }) survivor!: UnitResponse;
  @ApiProperty({ description: 'open assignments of the retired unit, now read as the survivor’s' })
  openAssignments!: number;
  @ApiProperty({ description: 'open calls to or from the retired unit, now read as the survivor’s' })
  openCalls!: number;
  @ApiProperty({ description: 'users moved to the survivor (their tokens are revoked)' }) movedUsers!: number;
  @ApiProperty({
    type: [String],
    description: 'units merged earlier into the retired one, now pointing at the survivor',
  })
  mergedUnits!: string[];
}
