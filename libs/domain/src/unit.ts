/** What kind of body a unit is; decides which roles it can play (e.g. only townships raise 乡呼县应 calls). */
export enum UnitKind {
  CountyDepartment = 'county-dept',
  Township = 'township',
  /** A city bureau's county branch (e.g. 市生态环境局平罗分局): takes part in tasks but is not a county department. */
  CityBranch = 'city-branch',
  Court = 'court',
  Procuratorate = 'procuratorate',
  /** The supervision office (县委督查室): imports task lists, handles escalations, closes tasks. */
  Supervision = 'supervision',
  /** County leadership pseudo-unit (县领导): receives top-level escalations. */
  Leadership = 'leadership',
}

export const UNIT_KINDS: readonly UnitKind[] = Object.values(UnitKind);

export interface Unit {
  /** Stable ASCII code; part of usernames and URLs, never changes once released. */
  id: string;
  /** The short name task-list documents use, e.g. 县审批局. */
  name: string;
  fullName: string;
  /** Other spellings documents use for the same unit. */
  aliases: string[];
  kind: UnitKind;
}

const UNIT_ID_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Checks a unit registry for the mistakes that would otherwise surface much later as unresolvable
 * names or clashing usernames: malformed ids, duplicate ids, and a name or alias claimed by two units.
 * Returns human-readable problems; an empty list means the registry is usable.
 */
export function validateUnitRegistry(units: readonly Unit[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const nameOwner = new Map<string, string>();
  units.forEach((unit, index) => {
    const where = `units[${index}]`;
    if (!UNIT_ID_PATTERN.test(unit.id ?? '')) {
      problems.push(`${where}.id "${unit.id}" must be lowercase ASCII letters, digits and '-' (2–40 chars)`);
    }
    if (ids.has(unit.id)) problems.push(`${where}.id "${unit.id}" is used twice`);
    ids.add(unit.id);
    if (!unit.name?.trim()) problems.push(`${where}.name is empty`);
    if (!unit.fullName?.trim()) problems.push(`${where}.fullName is empty`);
    if (!UNIT_KINDS.includes(unit.kind)) {
      problems.push(`${where}.kind "${unit.kind}" is not one of ${UNIT_KINDS.join(', ')}`);
    }
    for (const name of [unit.name, unit.fullName, ...(unit.aliases ?? [])]) {
      const owner = nameOwner.get(name);
      if (owner !== undefined && owner !== unit.id) {
        problems.push(`${where}: name "${name}" also belongs to unit "${owner}"`);
      }
      nameOwner.set(name, unit.id);
    }
  });
  return problems;
}
