import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Policy, Unit, validatePolicy, validateUnitRegistry } from '@county/domain';

/** The repository's seeds/ folder (also copied into container images next to apps/). */
export const SEEDS_DIR = process.env.SEEDS_DIR ?? path.resolve(__dirname, '../../../../seeds');

export async function loadUnitRegistry(file = path.join(SEEDS_DIR, 'units.json')): Promise<Unit[]> {
  const document = JSON.parse(await readFile(file, 'utf8')) as { units?: Unit[] };
  const units = document.units ?? [];
  const problems = validateUnitRegistry(units);
  if (units.length === 0) problems.push('no units');
  if (problems.length > 0) throw new Error(`${file}: invalid unit registry:\n- ${problems.join('\n- ')}`);
  return units;
}

let defaultPolicy: Promise<Policy> | undefined;

/** seeds/policy.default.json, validated once: a plan's own policy is laid over it. */
export function loadDefaultPolicy(file = path.join(SEEDS_DIR, 'policy.default.json')): Promise<Policy> {
  defaultPolicy ??= readFile(file, 'utf8').then((text) => validatePolicy(JSON.parse(text)));
  return defaultPolicy;
}
