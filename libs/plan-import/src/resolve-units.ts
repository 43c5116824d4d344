import { Unit } from '@county/domain';
import { ParsedPlan } from './model';

export interface UnitResolution {
  /** Every unit name the plan mentions, mapped to a registry unit id. */
  resolved: Record<string, string>;
  /** Names no unit in the registry carries (as name, full name or alias), in order of appearance. */
  unresolved: string[];
}

/** Matches the unit names a document uses against the registry's names, full names and aliases. */
export function resolvePlanUnits(plan: ParsedPlan, registry: readonly Unit[]): UnitResolution {
  const byName = new Map<string, string>();
  for (const unit of registry) {
    for (const name of [unit.name, unit.fullName, ...unit.aliases]) byName.set(normalize(name), unit.id);
  }
  const resolution: UnitResolution = { resolved: {}, unresolved: [] };
  for (const name of plan.tasks.flatMap((task) => [...task.leadUnits, ...task.responsibleUnits])) {
    if (name in resolution.resolved || resolution.unresolved.includes(name)) continue;
    const id = byName.get(normalize(name));
    if (id) resolution.resolved[name] = id;
    else resolution.unresolved.push(name);
  }
  return resolution;
}

function normalize(name: string): string {
  return name.replace(/\s+/g, '');
}
