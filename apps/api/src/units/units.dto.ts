import { ApiProperty } from '@nestjs/swagger';
import { Unit, UnitKind } from '@county/domain';

export class UnitResponse {
  @ApiProperty({ example: 'approval' }) id!: string;
  @ApiProperty({ example: '县审批局' }) name!: string;
  @ApiProperty({ example: '平罗县行政审批服务局' }) fullName!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ enum: UnitKind }) kind!: UnitKind;
}

export class UnitListResponse {
  @ApiProperty({ type: [UnitResponse] }) items!: UnitResponse[];
  @ApiProperty() total!: number;
}

export function toUnitResponse(unit: Unit): UnitResponse {
  return { id: unit.id, name: unit.name, fullName: unit.fullName, aliases: unit.aliases, kind: unit.kind };
}
