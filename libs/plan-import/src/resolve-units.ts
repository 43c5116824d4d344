import { RegistryUnit, resolveUnitName } from '@county/domain';
import { ParsedPlan } from './model';

export interface UnitResolution {
  /** Every unit name the plan mentions, mapped to a current registry unit id (a merged unit's to its survivor). */
  resolved: Record<string, string>;
  /** Names no unit in the registry carries (as name, full name or alias), in order of appearance. */
  unresolved: string[];
  /** Names of units retired without a successor: not accepted for new work. */
  retired: string[];
}

/** Matches the unit names a document uses against the current registry (`resolveUnitName`, libs/domain). */
export function resolvePlanUnits(plan: ParsedPlan, registry: readonly RegistryUnit[]): UnitResolution {
  const resolution: UnitResolution = { resolved: {}, unresolved: [], retired: [] };
  for (const name of plan.tasks.flatMap((task) => [...task.leadUnits, ...task.responsibleUnits])) {
    if (name in resolution.resolved || resolution.unresolved.includes(name) || resolution.retired.includes(name))
      continue;
    const found = resolveUnitName(registry, name);
    if (found === null) resolution.unresolved.push(name);
    else if ('unitId' in found) resolution.resolved[name] = found.unitId;
    else resolution.retired.push(name);
  }
  return resolution;
}
