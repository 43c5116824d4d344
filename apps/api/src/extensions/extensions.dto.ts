import { EXTENSION_REQUEST_STATUSES, ExtensionRequestStatus } from '@county/domain';
import { DeadlineField, TextField } from '../common/text-field';
import { EnumQuery } from '../common/query-params';

export class ExtensionRequestBody {
  @DeadlineField({ example: '2027-07-31T23:59:59+08:00' }) requestedDueAt!: string;
  @TextField('reason', { example: '需等待上级文件下发' }) reason!: string;
}

export class DecisionBody {
  @TextField('note', { optional: true }) comment?: string;
}

export class ExtensionRequestQuery {
  @EnumQuery(EXTENSION_REQUEST_STATUSES, { default: 'pending' }) status?: ExtensionRequestStatus;
}
