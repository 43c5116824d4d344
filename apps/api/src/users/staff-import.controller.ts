import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { AnswerHoldsSecret } from '../common/idempotency.interceptor';
import { readMultipartForm } from '../common/multipart-form';
import { STAFF_IMPORT_FORM_SCHEMA, StaffImportQuery, StaffImportResponse } from './staff-import.dto';
import { StaffImportService } from './staff-import.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class StaffImportController {
  constructor(private readonly imports: StaffImportService) {}

  @Post('import')
  @HttpCode(200)
  @Roles(Role.Admin)
  // The answer holds one-time passwords: never stored for an Idempotency-Key replay (importing the same file
  // again creates nothing, so a retry is safe without one).
  @AnswerHoldsSecret()
  @ApiConsumes('multipart/form-data')
  @ApiBody(STAFF_IMPORT_FORM_SCHEMA)
  @ApiOkResponse({ type: StaffImportResponse })
  @ApiOperation({
    summary:
      'Bulk import of staff from an .xlsx or .csv: dryRun=true previews; a file with row errors writes nothing unless partial=true. Idempotency-Key is ignored (the answer holds one-time passwords, never stored); importing the same file again creates nothing.',
  })
  async import(
    @Req() request: FastifyRequest,
    @Query() query: StaffImportQuery,
    @CurrentUser() user: User,
  ): Promise<StaffImportResponse> {
    const file = await readStaffForm(request);
    return this.imports.import({ ...file, dryRun: query.dryRun ?? false, partial: query.partial ?? false }, user);
  }
}

/** Exactly one `file` field and nothing else: an unknown field is refused like an unknown JSON property. */
async function readStaffForm(request: FastifyRequest): Promise<{ filename: string; bytes: Buffer }> {
  if (!request.isMultipart()) throw invalid('请以 multipart/form-data 上传，文件放在 file 字段');
  const form = await readMultipartForm(request);
  const field = form.fields[0];
  if (field) throw invalid(`${field.name}: property ${field.name} should not exist (allowed: file)`);
  const strange = form.files.find((file) => file.fieldName !== 'file');
  if (strange) throw invalid(`unexpected file field "${strange.fieldName}"; the staff list goes in "file"`);
  if (form.files.length > 1) throw invalid('只能上传一个文件');
  const [file] = form.files;
  if (!file) throw invalid('file: 请上传人员名单（.xlsx 或 .csv）');
  return { filename: file.filename, bytes: file.bytes };
}

function invalid(detail: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, detail);
}
