import { findUnstorableText, hasText, TEXT_LIMITS, TextKind, textLength } from './storable-text';
import { ROLES } from './user';
import { ATTACHMENT_LIMITS, attachmentRefsProblem } from './attachment';

/**
 * The shape of what a workflow update accepts, checked by its validator. The API's DTOs check the same
 * limits (TEXT_LIMITS, DEADLINE_HORIZON_YEARS) before sending; the validator checks again so that an update
 * sent straight to Temporal — bypassing the API — can never carry what the projection cannot store.
 */
export type FieldRule =
  | { kind: 'actor' }
  | { kind: 'text'; text: TextKind; required: boolean }
  | { kind: 'texts'; text: TextKind; maxItems: number; required?: boolean }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'oneOf'; values: readonly string[]; required: boolean }
  | { kind: 'deadline'; required: boolean }
  | { kind: 'id'; required: boolean }
  /** A unit code (as stored: at most 40 characters, the width of every unit column). */
  | { kind: 'unitId' }
  /** 佐证材料: references to stored files (id, name, size, sha256, content type), optional, at most `maxItems`. */
  | { kind: 'attachments'; maxItems: number }
  /** A nested object checked elsewhere (a policy, validated when it was resolved); only its text is checked here. */
  | { kind: 'object' };

export type RequestShape = Record<string, FieldRule>;

export const field = {
  actor: (): FieldRule => ({ kind: 'actor' }),
  text: (text: TextKind): FieldRule => ({ kind: 'text', text, required: true }),
  optionalText: (text: TextKind): FieldRule => ({ kind: 'text', text, required: false }),
  texts: (text: TextKind, maxItems: number): FieldRule => ({ kind: 'texts', text, maxItems }),
  /** A list that may be left out (a task edit names only what it changes). */
  optionalTexts: (text: TextKind, maxItems: number): FieldRule => ({ kind: 'texts', text, maxItems, required: false }),
  integer: (min: number, max: number): FieldRule => ({ kind: 'integer', min, max }),
  oneOf: (values: readonly string[], required = true): FieldRule => ({ kind: 'oneOf', values, required }),
  deadline: (required = true): FieldRule => ({ kind: 'deadline', required }),
  id: (required = true): FieldRule => ({ kind: 'id', required }),
  unitId: (): FieldRule => ({ kind: 'unitId' }),
  attachments: (maxItems: number = ATTACHMENT_LIMITS.filesPerItem): FieldRule => ({ kind: 'attachments', maxItems }),
  object: (): FieldRule => ({ kind: 'object' }),
};

/** A new deadline may lie at most this far ahead: a typo such as 9999-12-31 must not park a task for ever. */
export const DEADLINE_HORIZON_YEARS = 5;

/** ISO-8601 instant with a time zone, as the API accepts it (e.g. 2027-06-30T23:59:59+08:00). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Ids are UUIDs or unit codes. */
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_ID = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Why `dueAt` cannot be a new deadline set at `now`, or null. A deadline in the past would escalate up to
 * the county leadership within a second; one beyond the horizon is a typo.
 */
export function newDeadlineProblem(dueAt: string, now: number): string | null {
  if (!ISO_INSTANT.test(dueAt) || Number.isNaN(Date.parse(dueAt)))
    return 'must be an ISO-8601 instant with a time zone';
  const at = Date.parse(dueAt);
  if (at <= now) return 'must lie in the future';
  const horizon = new Date(now);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + DEADLINE_HORIZON_YEARS);
  if (at > horizon.getTime()) return `must lie within ${DEADLINE_HORIZON_YEARS} years from now`;
  return null;
}

/** The first problem of `request` against `shape` as `field: problem`, or null when it is acceptable. */
export function requestProblem(request: unknown, shape: RequestShape, now: number): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return 'request: must be an object';
  const unstorable = findUnstorableText(request);
  if (unstorable) return `${unstorable.path}: ${unstorable.problem}`;
  const fields = request as Record<string, unknown>;
  for (const name of Object.keys(fields)) if (!(name in shape)) return `${name}: unknown field`;
  for (const [name, rule] of Object.entries(shape)) {
    const problem = fieldProblem(fields[name], rule, now);
    if (problem) return `${name}: ${problem}`;
  }
  return null;
}

function fieldProblem(value: unknown, rule: FieldRule, now: number): string | null {
  const absent = value === undefined || value === null;
  switch (rule.kind) {
    case 'actor': {
      // The API sends the user it loaded from the database: a user id (UUID), a unit code and known roles.
      const actor = value as { userId?: unknown; unitId?: unknown; roles?: unknown } | null | undefined;
      if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) return 'is required';
      if (typeof actor.userId !== 'string' || !UUID.test(actor.userId)) return 'must name a user (a UUID)';
      if (typeof actor.unitId !== 'string' || !UNIT_ID.test(actor.unitId)) return 'must name a unit';
      if (!Array.isArray(actor.roles) || !actor.roles.every((role) => (ROLES as readonly unknown[]).includes(role)))
        return `roles must be a list of ${ROLES.join(', ')}`;
      const merged = (actor as { mergedUnitIds?: unknown }).mergedUnitIds;
      if (
        merged !== undefined &&
        (!Array.isArray(merged) || !merged.every((id) => typeof id === 'string' && UNIT_ID.test(id)))
      )
        return 'mergedUnitIds must be a list of unit ids';
      for (const name of Object.keys(actor))
        if (
          name !== 'userId' &&
          name !== 'unitId' &&
          name !== 'roles' &&
          name !== 'mergedUnitIds' &&
          name !== 'actingFor'
        )
          return `${name}: unknown field`;
      return 'actingFor' in actor ? actingForProblem((actor as { actingFor: unknown }).actingFor) : null;
    }
    case 'text':
      if (absent) return rule.required ? 'is required' : null;
      if (typeof value !== 'string') return 'must be a string';
      if (textLength(value) > TEXT_LIMITS[rule.text]) return `must be at most ${TEXT_LIMITS[rule.text]} characters`;
      return rule.required && !hasText(value) ? 'must contain text' : null;
    case 'texts':
      if (absent && rule.required === false) return null;
      if (!Array.isArray(value)) return 'must be a list';
      if (value.length > rule.maxItems) return `must have at most ${rule.maxItems} entries`;
      for (const [index, item] of value.entries()) {
        const problem = fieldProblem(item, { kind: 'text', text: rule.text, required: true }, now);
        if (problem) return `[${index}] ${problem}`;
      }
      return null;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
      return value < rule.min || value > rule.max ? `must be from ${rule.min} to ${rule.max}` : null;
    case 'oneOf':
      if (absent) return rule.required ? 'is required' : null;
      return typeof value === 'string' && rule.values.includes(value)
        ? null
        : `must be one of ${rule.values.join(', ')}`;
    case 'deadline':
      if (absent) return rule.required ? 'is required' : null;
      return typeof value === 'string' ? newDeadlineProblem(value, now) : 'must be a string';
    case 'unitId':
      return typeof value === 'string' && UNIT_ID.test(value) ? null : 'must be a unit id';
    case 'id':
      if (absent) return rule.required ? 'is required' : null;
      return typeof value === 'string' && ID.test(value) ? null : 'must be an id';
    case 'attachments':
      return absent ? null : attachmentRefsProblem(value, rule.maxItems);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : 'must be an object';
  }
}

/** 委派: the head a deputy signs for (signOffActor) — ids and names the audit event of the sign-off records. */
function actingForProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'actingFor: must be an object';
  const actingFor = value as Record<string, unknown>;
  for (const name of Object.keys(actingFor))
    if (!['delegationId', 'headUserId', 'headName', 'deputyName'].includes(name))
      return `actingFor.${name}: unknown field`;
  for (const name of ['delegationId', 'headUserId'])
    if (typeof actingFor[name] !== 'string' || !UUID.test(actingFor[name] as string))
      return `actingFor.${name}: must be a UUID`;
  for (const name of ['headName', 'deputyName']) {
    const text = actingFor[name];
    if (typeof text !== 'string' || !hasText(text) || textLength(text) > ACTING_NAME_LIMIT)
      return `actingFor.${name}: must be a name of at most ${ACTING_NAME_LIMIT} characters`;
  }
  return null;
}

/** A user's display name as a sign-off records it (names are short; this only bounds what a request carries). */
const ACTING_NAME_LIMIT = 200;
