import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, User } from '@county/domain';
import {
  checkStaffRows,
  ExistingStaff,
  MAX_STAFF_FILE_BYTES,
  planStaffImport,
  readStaffTable,
  StaffCandidate,
  StaffFileError,
  StaffTable,
} from '@county/plan-import';
import { DataSource, UnitRepository } from '@county/persistence';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { StaffImportResponse, StaffImportRowResponse } from './staff-import.dto';

export interface StaffImportRequest {
  filename: string;
  bytes: Buffer;
  dryRun: boolean;
  partial: boolean;
}

/**
 * Bulk import of staff (issue 14): reads the file (libs/plan-import/src/staff), checks every row, compares
 * with the users that exist, and — unless it is a dry run — creates the new ones.
 */
@Injectable()
export class StaffImportService {
  constructor(
    private readonly units: UnitRepository,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async import(request: StaffImportRequest, _importer: User): Promise<StaffImportResponse> {
    const table = await readTable(request);
    const checked = checkStaffRows(table.rows, await this.units.list());
    const plan = planStaffImport(checked.candidates, await this.existing(checked.candidates));
    const problems = [...checked.problems, ...plan.problems].sort((a, b) => a.row - b.row);
    const answer = (created: StaffCandidate[], outcome: 'create' | 'created'): StaffImportResponse => ({
      dryRun: request.dryRun,
      partial: problems.length > 0 && request.partial,
      format: table.format,
      totalRows: table.rows.length,
      created: created.length,
      unchanged: plan.unchanged.length,
      problems,
      rows: [
        ...created.map((candidate) => row(candidate, outcome)),
        ...plan.unchanged.map((candidate) => row(candidate, 'unchanged')),
      ].sort((a, b) => a.row - b.row),
      passwordSheet: null,
    });

    if (request.dryRun) return answer(plan.create, 'create');
    if (problems.length > 0 && !request.partial) {
      throw new DomainError(
        ErrorCode.InvalidDocument,
        `文件中有 ${problems.length} 处错误，未导入任何人员；请改正后重新导入，或以 partial=true 只导入正确的行`,
        { problems },
      );
    }
    // Creating users goes through the accounts service of POST /users (branch accounts), merged later.
    throw new DomainError(
      ErrorCode.DependencyUnavailable,
      '批量创建账号尚未启用（等待用户管理服务合并）；请先用 dryRun=true 预览',
    );
  }

  /** The users the file names that exist already, by username. */
  private async existing(candidates: readonly StaffCandidate[]): Promise<Map<string, ExistingStaff>> {
    if (candidates.length === 0) return new Map();
    const rows: { username: string; display_name: string; unit_id: string; roles: string[] }[] =
      await this.dataSource.query(
        'SELECT username, display_name, unit_id, roles FROM users WHERE username = ANY($1::text[])',
        [candidates.map((candidate) => candidate.username)],
      );
    return new Map(
      rows.map((user) => [
        user.username,
        { username: user.username, displayName: user.display_name, unitId: user.unit_id, roles: user.roles },
      ]),
    );
  }
}

async function readTable(request: StaffImportRequest): Promise<StaffTable> {
  if (request.bytes.byteLength > MAX_STAFF_FILE_BYTES) {
    throw new DomainError(
      ErrorCode.PayloadTooLarge,
      `文件超过 ${MAX_STAFF_FILE_BYTES / 1024 / 1024} MB 的上限（几百人的名单只有几十 KB）`,
    );
  }
  try {
    return await readStaffTable(request.filename, request.bytes);
  } catch (error) {
    if (error instanceof StaffFileError) throw new DomainError(ErrorCode.InvalidDocument, error.message);
    throw error;
  }
}

function row(candidate: StaffCandidate, outcome: StaffImportRowResponse['outcome']): StaffImportRowResponse {
  const { row: rowNumber, username, displayName, unitId, unitName, roles, phone, email } = candidate;
  return { row: rowNumber, username, displayName, unitId, unitName, roles, phone, email, outcome };
}
