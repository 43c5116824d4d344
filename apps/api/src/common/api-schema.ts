import { ApiProperty } from '@nestjs/swagger';

/** Response-schema shorthands for the OpenAPI document (the response DTOs in the .dto.ts files use them). */
export const NullableString = (options: { description?: string; format?: string } = {}) =>
  ApiProperty({ type: String, nullable: true, ...options });
export const NullableNumber = (options: { description?: string } = {}) =>
  ApiProperty({ type: Number, nullable: true, ...options });
export const Strings = (options: { description?: string } = {}) => ApiProperty({ type: [String], ...options });
/** A JSON object whose keys are data (a payload, counts by status). */
export const FreeObject = (options: { description?: string; values?: 'number' } = {}) =>
  ApiProperty({
    type: 'object',
    additionalProperties: options.values ? { type: options.values } : true,
    description: options.description,
  });

/** The request body of a route that takes exactly one file in a multipart form's `file` field. */
export const singleFileForm = (description: string) => ({
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description } },
  },
});
