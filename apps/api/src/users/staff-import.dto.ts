import { ApiProperty } from '@nestjs/swagger';
import { Role, ROLES } from '@county/domain';
import { MAX_STAFF_FILE_BYTES, MAX_STAFF_ROWS, STAFF_COLUMNS, StaffColumn } from '@county/plan-import';
import { NullableString, singleFileForm } from '../common/api-schema';
import { BooleanQuery } from '../common/query-params';

export class StaffImportQuery {
  @BooleanQuery({ default: false, description: 'check and preview the file; nothing is written' })
  dryRun?: boolean;
  @BooleanQuery({ default: false, description: 'import the valid rows of a file that has rows with errors' })
  partial?: boolean;
}

export const STAFF_IMPORT_FORM_SCHEMA = singleFileForm(
  `the staff list: .xlsx (first worksheet) or .csv (UTF-8 or GB18030), columns ${STAFF_COLUMNS.join(', ')}; ≤ ${MAX_STAFF_FILE_BYTES / 1024 / 1024} MB, ≤ ${MAX_STAFF_ROWS} rows`,
);

export const STAFF_ROW_OUTCOMES = ['create', 'created', 'unchanged'] as const;
export type StaffRowOutcome = (typeof STAFF_ROW_OUTCOMES)[number];

export class StaffImportProblemResponse {
  @ApiProperty({ description: 'the row number as the spreadsheet shows it (the header is row 1)' }) row!: number;
  @ApiProperty({ enum: STAFF_COLUMNS, enumName: 'StaffImportColumn', nullable: true })
  column!: StaffColumn | null;
  @ApiProperty({ description: 'what is wrong, in Chinese' }) message!: string;
}

export class StaffImportRowResponse {
  @ApiProperty() row!: number;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ description: "the unit's registry name (the file may have used an alias)" }) unitName!: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', isArray: true }) roles!: Role[];
  @NullableString() phone!: string | null;
  @NullableString() email!: string | null;
  @ApiProperty({
    enum: STAFF_ROW_OUTCOMES,
    enumName: 'StaffRowOutcome',
    description: 'create: would be created (dry run); created; unchanged: the user exists with these details',
  })
  outcome!: StaffRowOutcome;
}

export class PasswordSheetResponse {
  @ApiProperty({ example: '初始密码.xlsx' }) filename!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({ description: 'the .xlsx, base64: the one-time passwords, answered this once and never stored' })
  base64!: string;
}

export class StaffImportResponse {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'only the valid rows were (or would be) imported; the rows in problems were not' })
  partial!: boolean;
  @ApiProperty({ enum: ['xlsx', 'csv'] }) format!: 'xlsx' | 'csv';
  @ApiProperty({ description: 'data rows in the file' }) totalRows!: number;
  @ApiProperty({ description: 'users created (or, in a dry run, that would be)' }) created!: number;
  @ApiProperty({ description: 'rows whose user already exists with the same details' }) unchanged!: number;
  @ApiProperty({ type: [StaffImportProblemResponse] }) problems!: StaffImportProblemResponse[];
  @ApiProperty({ type: [StaffImportRowResponse] }) rows!: StaffImportRowResponse[];
  @ApiProperty({
    type: PasswordSheetResponse,
    nullable: true,
    description: 'null in a dry run or when nobody was created',
  })
  passwordSheet!: PasswordSheetResponse | null;
}
