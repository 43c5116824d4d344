import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { DEADLINE_HORIZON_YEARS, hasText, newDeadlineProblem, TEXT_LIMITS, TextKind } from '@county/domain';

/**
 * A free-text request field: a string of at most `TEXT_LIMITS[kind]` characters (documented as `maxLength` in
 * the OpenAPI document), which must say something when it is required. Storability (no NUL, no unpaired
 * surrogate) needs no decorator: the global validation pipe checks every string of every request.
 */
export function TextField(
  kind: TextKind,
  options: { optional?: boolean; example?: string; description?: string } = {},
): PropertyDecorator {
  const documented = {
    type: String,
    maxLength: TEXT_LIMITS[kind],
    example: options.example,
    description: options.description,
  };
  return options.optional
    ? applyDecorators(ApiPropertyOptional(documented), IsOptional(), IsString(), MaxLength(TEXT_LIMITS[kind]))
    : applyDecorators(
        ApiProperty({ ...documented, minLength: 1 }),
        IsString(),
        MaxLength(TEXT_LIMITS[kind]),
        ValidateBy({
          name: 'hasText',
          validator: {
            validate: (value: unknown) => typeof value === 'string' && hasText(value),
            defaultMessage: (args) => `${args?.property ?? 'value'} must contain text, not only white space`,
          },
        }),
      );
}

/**
 * A new deadline: an ISO-8601 instant with a time zone, in the future and within DEADLINE_HORIZON_YEARS (the
 * domain rule the workflow validators apply too). `requiredWhen` makes it required only for some requests
 * (e.g. an escalation handled by extending it).
 */
export function DeadlineField<T extends object>(
  options: { requiredWhen?: (request: T) => boolean; example?: string; description?: string } = {},
): PropertyDecorator {
  const documented = {
    type: String,
    format: 'date-time',
    example: options.example ?? '2027-06-30T23:59:59+08:00',
    description: [options.description, `in the future, at most ${DEADLINE_HORIZON_YEARS} years ahead`]
      .filter(Boolean)
      .join('; '),
    maxLength: 40,
  };
  const rule = ValidateBy({
    name: 'newDeadline',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && newDeadlineProblem(value, Date.now()) === null,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? newDeadlineProblem(args.value, Date.now()) : 'must be a string'}`,
    },
  });
  const { requiredWhen } = options;
  return requiredWhen
    ? applyDecorators(
        ApiPropertyOptional(documented),
        ValidateIf((request: T, value: unknown) => requiredWhen(request) || value !== undefined),
        rule,
      )
    : applyDecorators(ApiProperty(documented), rule);
}
