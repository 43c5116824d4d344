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

/**
 * A unit's place in the registry over time (机构改革). A renamed unit keeps its id and carries its old names as
 * aliases; a merged unit is retired and points at the unit that took its work over (`mergedInto`); a retired
 * unit is not offered or accepted for new work.
 *
 * Merging does not touch running workflows: they keep the id they were started with. Instead the retired id
 * maps to the survivor wherever work is authorized or listed — this one rule (`survivorOf`, `actsForUnit` in
 * user.ts) — so nothing is lost and no history has to change.
 */
export interface UnitLifecycle {
  retired?: boolean;
  /** The unit this one was merged into (always a current unit: merges are kept one hop deep). */
  mergedInto?: string | null;
}

export type RegistryUnit = Unit & UnitLifecycle;

/** The units offered for new work: those not retired. */
export function currentUnits<T extends RegistryUnit>(registry: readonly T[]): T[] {
  return registry.filter((unit) => !unit.retired);
}

/** The unit that answers for `unitId` today: itself, or the unit it was merged into. */
export function survivorOf(registry: readonly RegistryUnit[], unitId: string): string {
  return registry.find((unit) => unit.id === unitId)?.mergedInto ?? unitId;
}

/** Units merged into `unitId`: their open work is `unitId`'s now. */
export function unitsMergedInto(registry: readonly RegistryUnit[], unitId: string): string[] {
  return registry.filter((unit) => unit.mergedInto === unitId).map((unit) => unit.id);
}

function normalizeUnitName(name: string): string {
  return name.replace(/\s+/g, '');
}

export type UnitNameResolution = { unitId: string } | { retiredUnitId: string } | null;

/**
 * Which unit a document's name means: a unit's name, full name or alias (whitespace ignored). A name of a
 * merged unit resolves to the survivor, so older documents still import; a name of a unit retired without a
 * successor resolves to nothing usable (`retiredUnitId`), and null means no unit ever carried it.
 */
export function resolveUnitName(registry: readonly RegistryUnit[], name: string): UnitNameResolution {
  const wanted = normalizeUnitName(name);
  const matches = (unit: RegistryUnit) =>
    [unit.name, unit.fullName, ...unit.aliases].some((candidate) => normalizeUnitName(candidate) === wanted);
  const current = registry.find((unit) => !unit.retired && matches(unit));
  if (current) return { unitId: current.id };
  const retired = registry.find((unit) => unit.retired && matches(unit));
  if (!retired) return null;
  return retired.mergedInto ? { unitId: retired.mergedInto } : { retiredUnitId: retired.id };
}

/** Kinds the workflows address by fixed id (escalation levels 2 and 3): never merged or retired. */
const FIXED_UNIT_KINDS: readonly UnitKind[] = [UnitKind.Supervision, UnitKind.Leadership];

/** Why a name cannot be given to `unitId` (it belongs to another current unit), or null. */
function nameTaken(registry: readonly RegistryUnit[], name: string, unitId: string | null): string | null {
  const owner = resolveUnitName(registry, name);
  if (owner && 'unitId' in owner && owner.unitId !== unitId) return `名称“${name}”已属于单位 ${owner.unitId}`;
  return null;
}

export type UnitChange<T> = { ok: true; value: T } | { ok: false; code: 'validation' | 'conflict'; reason: string };

const refuse = <T>(code: 'validation' | 'conflict', reason: string): UnitChange<T> => ({ ok: false, code, reason });

/** A new unit: a fresh id and names no current unit carries. */
export function planUnitAdd(registry: readonly RegistryUnit[], unit: Unit): UnitChange<Unit> {
  const problems = validateUnitRegistry([{ ...unit, aliases: unit.aliases ?? [] }]);
  if (problems.length > 0) return refuse('validation', problems.join('; '));
  if (registry.some((existing) => existing.id === unit.id)) return refuse('conflict', `单位编码 ${unit.id} 已存在`);
  for (const name of [unit.name, unit.fullName, ...unit.aliases]) {
    const taken = nameTaken(registry, name, null);
    if (taken) return refuse('conflict', taken);
  }
  return { ok: true, value: { ...unit, aliases: [...new Set(unit.aliases)] } };
}

/** A rename: the old name and full name become aliases, so documents that use them still resolve. */
export function planUnitRename(
  registry: readonly RegistryUnit[],
  unitId: string,
  change: { name?: string; fullName?: string },
): UnitChange<Unit> {
  const unit = registry.find((candidate) => candidate.id === unitId);
  if (!unit) return refuse('validation', `单位 ${unitId} 不存在`);
  if (unit.retired) return refuse('conflict', `单位 ${unitId} 已撤销，不能更名`);
  const name = change.name?.trim() || unit.name;
  const fullName = change.fullName?.trim() || unit.fullName;
  for (const candidate of [name, fullName]) {
    const taken = nameTaken(registry, candidate, unitId);
    if (taken) return refuse('conflict', taken);
  }
  const aliases = [...unit.aliases, unit.name, unit.fullName].filter(
    (alias, index, all) => alias !== name && alias !== fullName && all.indexOf(alias) === index,
  );
  return { ok: true, value: { id: unit.id, name, fullName, aliases, kind: unit.kind } };
}

/** May `fromId` be merged into `intoId`? Both current, different, of the same kind, neither a fixed unit. */
export function planUnitMerge(
  registry: readonly RegistryUnit[],
  fromId: string,
  intoId: string,
): UnitChange<{ retired: string; survivor: string }> {
  const from = registry.find((unit) => unit.id === fromId);
  const into = registry.find((unit) => unit.id === intoId);
  if (!from) return refuse('validation', `单位 ${fromId} 不存在`);
  if (!into) return refuse('validation', `intoUnitId: 单位 ${intoId} 不存在`);
  if (fromId === intoId) return refuse('validation', 'intoUnitId: 不能把单位并入它自己');
  if (from.retired) return refuse('conflict', `单位 ${fromId} 已撤销`);
  if (into.retired) return refuse('conflict', `intoUnitId: 单位 ${intoId} 已撤销`);
  if (FIXED_UNIT_KINDS.includes(from.kind) || FIXED_UNIT_KINDS.includes(into.kind))
    return refuse('conflict', '督查室和县领导不能合并');
  if (from.kind !== into.kind)
    return refuse('validation', `intoUnitId: 单位类型不同（${from.kind} / ${into.kind}），不能合并`);
  return { ok: true, value: { retired: fromId, survivor: intoId } };
}

/**
 * May `unitId` be retired without a successor? Only when nothing is left for it: no open work, no active users
 * (otherwise it is merged into the unit that takes them over).
 */
export function planUnitRetire(
  registry: readonly RegistryUnit[],
  unitId: string,
  left: { openWork: number; activeUsers: number },
): UnitChange<{ retired: string }> {
  const unit = registry.find((candidate) => candidate.id === unitId);
  if (!unit) return refuse('validation', `单位 ${unitId} 不存在`);
  if (unit.retired) return refuse('conflict', `单位 ${unitId} 已撤销`);
  if (FIXED_UNIT_KINDS.includes(unit.kind)) return refuse('conflict', '督查室和县领导不能撤销');
  if (left.openWork > 0 || left.activeUsers > 0)
    return refuse(
      'conflict',
      `单位 ${unitId} 还有 ${left.openWork} 项未办结的工作、${left.activeUsers} 个启用的账号：请先合并到承接单位`,
    );
  return { ok: true, value: { retired: unitId } };
}

/** What an administrator may do to a unit (the console shows these buttons). */
export enum UnitAction {
  Rename = 'rename',
  Merge = 'merge',
  Retire = 'retire',
}

/** Only an admin changes the registry; a retired unit is history; 督查室 and 县领导 can only be renamed. */
export function unitActions(actor: { roles: readonly string[] }, unit: RegistryUnit): UnitAction[] {
  if (!actor.roles.includes('admin') || unit.retired) return [];
  if (FIXED_UNIT_KINDS.includes(unit.kind)) return [UnitAction.Rename];
  return [UnitAction.Rename, UnitAction.Merge, UnitAction.Retire];
}
