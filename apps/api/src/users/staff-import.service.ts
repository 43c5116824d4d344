import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode, User } from '@county/domain';
import {
  checkStaffRows,
  ExistingStaff,
  IssuedPassword,
  MAX_STAFF_FILE_BYTES,
  PASSWORD_SHEET_CONTENT_TYPE,
  planStaffImport,
  readStaffTableInWorker,
  StaffCandidate,
  StaffColumn,
  StaffFileError,
  StaffRowProblem,
  StaffTable,
  writePasswordSheet,
} from '@county/plan-import';
import { DataSource, UnitRepository } from '@county/persistence';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { StaffImportResponse, StaffImportRowResponse } from './staff-import.dto';
import { CreateUserRequest } from './users.dto';
import { UsersService } from './users.service';

export interface StaffImportRequest {
  filename: string;
  bytes: Buffer;
  dryRun: boolean;
  partial: boolean;
}

/** Users are created a few at a time: each costs an argon2id hash (19 MiB) and a transaction. */
const CREATE_CONCURRENCY = 2;

/** Where a CreateUserRequest property comes from in the file. */
const COLUMN_OF: Record<string, StaffColumn> = {
  username: '用户名',
  displayName: '姓名',
  unitId: '单位',
  roles: '角色',
  phone: '手机',
  email: '邮箱',
};

/**
 * Bulk import of staff (issue 14): reads the file (libs/plan-import/src/staff), checks every row — with the
 * file's rules and then with POST /users's own request rules — compares with the users that exist, and,
 * unless it is a dry run, creates the new ones through UsersService (the same path as POST /users: one
 * transaction and one audit event per user, a one-time password that must be changed at first login).
 * The one-time passwords are answered once, as an .xlsx in the answer, and never stored.
 */
@Injectable()
export class StaffImportService {
  constructor(
    private readonly units: UnitRepository,
    private readonly users: UsersService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async import(request: StaffImportRequest, importer: User): Promise<StaffImportResponse> {
    const table = await readTable(request);
    const checked = checkStaffRows(table.rows, await this.units.list());
    const requestProblems = await asCreateRequests(checked.candidates);
    const valid = checked.candidates.filter(
      (candidate) => !requestProblems.some((problem) => problem.row === candidate.row),
    );
    const plan = planStaffImport(valid, await this.existing(valid));
    const problems = byRow([...checked.problems, ...requestProblems, ...plan.problems]);
    const unchanged = plan.unchanged.map((candidate) => row(candidate, 'unchanged'));
    const answer = (
      rows: StaffImportRowResponse[],
      allProblems: StaffRowProblem[],
      passwordSheet: StaffImportResponse['passwordSheet'] = null,
    ): StaffImportResponse => ({
      dryRun: request.dryRun,
      partial: allProblems.length > 0 && (request.partial || rows.some((r) => r.outcome === 'created')),
      format: table.format,
      totalRows: table.rows.length,
      created: rows.filter((r) => r.outcome !== 'unchanged').length,
      unchanged: unchanged.length,
      problems: allProblems,
      rows: byRow([...rows, ...unchanged]),
      passwordSheet,
    });

    if (request.dryRun)
      return answer(
        plan.create.map((candidate) => row(candidate, 'create')),
        problems,
      );
    if (problems.length > 0 && !request.partial) {
      throw new DomainError(
        ErrorCode.InvalidDocument,
        `文件中有 ${problems.length} 处错误，未导入任何人员；请改正后重新导入，或以 partial=true 只导入正确的行`,
        { problems },
      );
    }

    const { created, passwords, failures } = await this.create(plan.create, importer);
    const sheet =
      passwords.length === 0
        ? null
        : {
            filename: `初始密码-${new Date().toISOString().slice(0, 10)}.xlsx`,
            contentType: PASSWORD_SHEET_CONTENT_TYPE,
            base64: (await writePasswordSheet(passwords)).toString('base64'),
          };
    return answer(
      created.map((candidate) => row(candidate, 'created')),
      byRow([...problems, ...failures]),
      sheet,
    );
  }

  /**
   * Creates the users, a few at a time. A row that fails now (its username taken in the meantime) is
   * reported on its row; the users created before and after it keep their passwords in the answer.
   * An unexpected failure (the database gone) stops the import: what was created is answered, and
   * importing the file again creates the rest (the created ones are then unchanged).
   */
  private async create(
    candidates: readonly StaffCandidate[],
    importer: User,
  ): Promise<{ created: StaffCandidate[]; passwords: IssuedPassword[]; failures: StaffRowProblem[] }> {
    const created: { candidate: StaffCandidate; password: string }[] = [];
    const failures: StaffRowProblem[] = [];
    let stopped: unknown = null;
    let next = 0;
    const work = async () => {
      while (next < candidates.length && stopped === null) {
        const candidate = candidates[next];
        next += 1;
        try {
          const { oneTimePassword } = await this.users.create(
            {
              username: candidate.username,
              displayName: candidate.displayName,
              unitId: candidate.unitId,
              roles: candidate.roles,
              phone: candidate.phone,
              email: candidate.email,
            },
            importer,
          );
          created.push({ candidate, password: oneTimePassword });
        } catch (error) {
          if (error instanceof DomainError) {
            failures.push({ row: candidate.row, column: '用户名', message: `未导入：${error.message}` });
          } else {
            stopped = error;
            failures.push({
              row: candidate.row,
              column: null,
              message: '创建账号时出错，本行及其后尚未处理的行未导入；请稍后重新导入同一文件（已创建的不会重复创建）',
            });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, work));
    created.sort((a, b) => a.candidate.row - b.candidate.row);
    return {
      created: created.map((entry) => entry.candidate),
      passwords: created.map(({ candidate, password }) => ({
        username: candidate.username,
        displayName: candidate.displayName,
        unitName: candidate.unitName,
        password,
      })),
      failures,
    };
  }

  /** The users the file names that exist already, by username. */
  private async existing(candidates: readonly StaffCandidate[]): Promise<Map<string, ExistingStaff>> {
    if (candidates.length === 0) return new Map();
    const rows: {
      username: string;
      display_name: string;
      unit_id: string;
      roles: string[];
      phone: string | null;
      email: string | null;
    }[] = await this.dataSource.query(
      'SELECT username, display_name, unit_id, roles, phone, email FROM users WHERE username = ANY($1::text[])',
      [candidates.map((candidate) => candidate.username)],
    );
    return new Map(
      rows.map((user) => [
        user.username,
        {
          username: user.username,
          displayName: user.display_name,
          unitId: user.unit_id,
          roles: user.roles,
          phone: user.phone,
          email: user.email,
        },
      ]),
    );
  }
}

/**
 * Every row also passes POST /users's own request rules (CreateUserRequest), so an import never creates a
 * user that route would refuse; what they refuse is reported on the row and column it came from.
 */
async function asCreateRequests(candidates: readonly StaffCandidate[]): Promise<StaffRowProblem[]> {
  const problems: StaffRowProblem[] = [];
  for (const candidate of candidates) {
    const body = plainToInstance(CreateUserRequest, {
      username: candidate.username,
      displayName: candidate.displayName,
      unitId: candidate.unitId,
      roles: candidate.roles,
      phone: candidate.phone,
      email: candidate.email,
    });
    for (const error of await validate(body, { whitelist: true, forbidNonWhitelisted: true })) {
      const column = COLUMN_OF[error.property] ?? null;
      const value = (candidate as unknown as Record<string, unknown>)[error.property];
      problems.push({ row: candidate.row, column, message: `${column ?? error.property}“${String(value)}”格式不正确` });
    }
  }
  return problems;
}

async function readTable(request: StaffImportRequest): Promise<StaffTable> {
  if (request.bytes.byteLength > MAX_STAFF_FILE_BYTES) {
    throw new DomainError(
      ErrorCode.PayloadTooLarge,
      `文件超过 ${MAX_STAFF_FILE_BYTES / 1024 / 1024} MB 的上限（几百人的名单只有几十 KB）`,
    );
  }
  try {
    return await readStaffTableInWorker(request.filename, request.bytes);
  } catch (error) {
    if (error instanceof StaffFileError) throw new DomainError(ErrorCode.InvalidDocument, error.message);
    throw error;
  }
}

function byRow<T extends { row: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.row - b.row);
}

function row(candidate: StaffCandidate, outcome: StaffImportRowResponse['outcome']): StaffImportRowResponse {
  const { row: rowNumber, username, displayName, unitId, unitName, roles, phone, email } = candidate;
  return { row: rowNumber, username, displayName, unitId, unitName, roles, phone, email, outcome };
}
