import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, findUnstorableText } from '@county/domain';

/**
 * Strict input validation for every route: unknown fields are rejected rather than silently dropped, so
 * a client that sends `status` or `unitId` where they are not accepted learns it at once (mass assignment).
 *
 * Before any of that, every string of the body, the query and the path is checked for text PostgreSQL
 * cannot store (NUL, unpaired surrogates). It is checked here, for every route at once, rather than by a
 * decorator on each field that a new field could lack: one such character accepted by a workflow would
 * make its projection fail for ever.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const unstorable = findUnstorableText(value);
      if (unstorable) {
        const field = metadata.type === 'param' ? (metadata.data ?? unstorable.path) : unstorable.path;
        throw new DomainError(ErrorCode.ValidationFailed, `${field}: ${unstorable.problem}`, {
          errors: [{ field, problems: [unstorable.problem], rules: ['storableText'] }],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(
        ErrorCode.ValidationFailed,
        fields.map((field) => `${field.field}: ${field.problems.join(', ')}`).join('; '),
        { errors: fields },
      );
    },
  });
}

interface FieldProblem {
  field: string;
  problems: string[];
  /** The class-validator rules broken (isNotEmpty, maxLength…): the console words each in Chinese. */
  rules: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints
      ? [{ field, problems: Object.values(error.constraints), rules: Object.keys(error.constraints) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
