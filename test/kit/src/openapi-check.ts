/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 document (the subset Nest's swagger module writes:
 * $ref, allOf, object properties with required, arrays, enums, nullable, primitive types). An object schema
 * without `additionalProperties` is closed: a field the document does not name is reported, so an answer
 * cannot carry more than its schema says. Returns the problems found, each with its JSON path.
 */
export type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
};

export function checkAgainstSchema(
  document: { components: { schemas: Record<string, Schema> } },
  schema: Schema,
  value: unknown,
  path = '$',
): string[] {
  const resolve = (target: Schema): Schema => {
    if (target.$ref) {
      const named = resolve(document.components.schemas[target.$ref.replace('#/components/schemas/', '')]);
      return target.nullable ? { ...named, nullable: true } : named;
    }
    if (target.allOf) {
      const parts = target.allOf.map(resolve);
      // A named enum is written as allOf: [{ $ref }], with `nullable` beside it.
      if (parts.length === 1) return { ...parts[0], nullable: target.nullable ?? parts[0].nullable };
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})) as Record<string, Schema>,
        required: parts.flatMap((part) => part.required ?? []),
      };
    }
    return target;
  };
  const target = resolve(schema);
  if (value === null) return target.nullable ? [] : [`${path}: null is not allowed`];
  if (target.enum && !target.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} is not in the enum`];
  switch (target.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return value.flatMap((item, index) =>
        checkAgainstSchema(document, target.items ?? {}, item, `${path}[${index}]`),
      );
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const record = value as Record<string, unknown>;
      const problems = (target.required ?? [])
        .filter((name) => record[name] === undefined)
        .map((name) => `${path}.${name}: missing`);
      for (const [name, item] of Object.entries(record)) {
        const property = target.properties?.[name];
        if (property) problems.push(...checkAgainstSchema(document, property, item, `${path}.${name}`));
        else if (target.additionalProperties === undefined || target.additionalProperties === false)
          problems.push(`${path}.${name}: not in the document`);
        else if (typeof target.additionalProperties === 'object')
          problems.push(...checkAgainstSchema(document, target.additionalProperties, item, `${path}.${name}`));
      }
      return problems;
    }
    default:
      return [];
  }
}

/** The API's OpenAPI document, as it serves it (GET /api/docs/openapi.json); throws unless it answers 200. */
export async function openApiDocument<T = { components: { schemas: Record<string, Schema> } }>(api: {
  origin: string;
}): Promise<T> {
  const response = await fetch(`${api.origin}/api/docs/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /api/docs/openapi.json answered ${response.status}`);
  return (await response.json()) as T;
}
