import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/**
 * The one home of how query-string parameters are read. A query string carries text only, so each kind
 * says exactly which texts it accepts; anything else stays as it came and fails validation with a 400 that
 * names the parameter — never a value quietly read as something else (`open=maybe` as true, `limit=` as 0),
 * and never a number the database cannot hold (a 500). Each decorator also documents the parameter in the
 * OpenAPI document (type, range, allowed values), from the same options it validates with.
 */

interface QueryOptions {
  description?: string;
  /** Required parameters have no default and are not optional. */
  required?: boolean;
}

/** Decimal digits, optionally negative; `1.5`, `1e3`, `0x10`, ` 7` and the empty string are not integers here. */
const INTEGER_TEXT = /^-?\d{1,20}$/;

/**
 * An integer in [minimum, maximum]. The maximum is the column's or the page's limit, and never above
 * Number.MAX_SAFE_INTEGER: beyond it a number is no longer exact in JavaScript.
 */
export function IntegerQuery(
  options: QueryOptions & { minimum: number; maximum: number; default?: number; example?: number },
): PropertyDecorator {
  const { minimum, maximum } = options;
  if (!Number.isSafeInteger(minimum) || !Number.isSafeInteger(maximum) || minimum > maximum) {
    throw new Error(`IntegerQuery needs a safe integer range, got ${minimum}..${maximum}`);
  }
  return applyDecorators(
    documented(options, { type: 'integer', minimum, maximum, default: options.default, example: options.example }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value,
    ),
    IsInt(),
    Min(minimum),
    Max(maximum),
  );
}

/** `true` or `false`, nothing else (not `1`, `yes`, `maybe` or an empty value). */
export function BooleanQuery(options: QueryOptions & { default?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: Boolean, default: options.default }),
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );
}

/** One of a fixed list of values (a domain status list, say), spelled exactly. */
export function EnumQuery(
  values: readonly string[],
  options: QueryOptions & { default?: string } = {},
): PropertyDecorator {
  return applyDecorators(
    documented(options, { enum: [...values], default: options.default }),
    IsIn([...values], { message: ({ property }) => `${property} must be one of: ${values.join(', ')}` }),
  );
}

function documented(options: QueryOptions, schema: Parameters<typeof ApiProperty>[0]): PropertyDecorator {
  const described = { ...schema, ...(options.description ? { description: options.description } : {}) };
  return options.required ? ApiProperty(described) : applyDecorators(ApiPropertyOptional(described), IsOptional());
}

/** A calendar day `YYYY-MM-DD` that exists (not 2026-02-30); read as a day in China time by the list it filters. */
export function DateQuery(options: QueryOptions & { example?: string } = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'date', maxLength: 10, example: options.example }),
    ValidateBy({
      name: 'isCalendarDay',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDay(value),
        defaultMessage: ({ property } = { property: 'date' } as never) => `${property} must be a date YYYY-MM-DD`,
      },
    }),
  );
}

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
