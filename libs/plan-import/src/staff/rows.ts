import { RegistryUnit, resolveUnitName, Role, ROLES } from '@county/domain';
import { cellProblem } from './read-table';
import { STAFF_COLUMNS, StaffColumn, StaffRowProblem, StaffSourceRow } from './model';

/** A row that passed every check: a user the import would create. */
export interface StaffCandidate {
  row: number;
  username: string;
  displayName: string;
  unitId: string;
  /** The unit's registry name (the file may have used an alias). */
  unitName: string;
  roles: Role[];
  phone: string | null;
  email: string | null;
}

/** The role names a staff list may use, besides the codes themselves (staff, head, …). */
export const ROLE_NAMES: Readonly<Record<string, Role>> = {
  工作人员: Role.Staff,
  干部: Role.Staff,
  负责人: Role.Head,
  单位负责人: Role.Head,
  督查室: Role.Supervisor,
  督查员: Role.Supervisor,
  县领导: Role.Leader,
  领导: Role.Leader,
  管理员: Role.Admin,
  系统管理员: Role.Admin,
};

/**
 * Letters, digits, '.', '_', '-'; starts with a letter or digit; 2–80 characters — the rule of POST /users
 * (apps/api/src/users/users.dto.ts), which every imported row also passes through before it is created.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,79}$/;
/** What POST /users accepts as a display name. */
export const MAX_DISPLAY_NAME_LENGTH = 100;
/** A mainland mobile number, or a landline with area code (0952-1234567). */
const PHONE_PATTERN = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

export interface CheckedStaffRows {
  candidates: StaffCandidate[];
  problems: StaffRowProblem[];
}

/**
 * Checks every row of a staff list on its own and against the others (a username twice): each problem is
 * reported with its row and column; a row with any problem yields no candidate.
 */
export function checkStaffRows(rows: readonly StaffSourceRow[], registry: readonly RegistryUnit[]): CheckedStaffRows {
  const unitOf = unitLookup(registry);
  const firstRowOf = new Map<string, number>();
  const result: CheckedStaffRows = { candidates: [], problems: [] };
  for (const source of rows) {
    const problems: StaffRowProblem[] = [];
    const problem = (column: StaffColumn, message: string) => problems.push({ row: source.row, column, message });
    const cells = {} as Record<StaffColumn, string>;
    for (const column of STAFF_COLUMNS) {
      const text = source.cells[column].trim();
      const unstorable = cellProblem(text);
      if (unstorable) problem(column, `${column}${unstorable}`);
      cells[column] = text;
    }
    if (problems.length > 0) {
      result.problems.push(...problems);
      continue;
    }

    const username = cells.用户名;
    if (!username) problem('用户名', '用户名不能为空');
    else if (!USERNAME_PATTERN.test(username))
      problem('用户名', `用户名“${cells.用户名}”无效：只能用字母、数字和 . _ -，以字母或数字开头，2 到 80 个字符`);
    else if (firstRowOf.has(username)) problem('用户名', `用户名“${username}”与第 ${firstRowOf.get(username)} 行重复`);
    else firstRowOf.set(username, source.row);

    if (!cells.姓名) problem('姓名', '姓名不能为空');
    else if ([...cells.姓名].length > MAX_DISPLAY_NAME_LENGTH)
      problem('姓名', `姓名不能超过 ${MAX_DISPLAY_NAME_LENGTH} 个字符`);

    const found = cells.单位 ? unitOf(cells.单位) : null;
    const unit = found && 'unit' in found ? found.unit : undefined;
    if (!cells.单位) problem('单位', '单位不能为空');
    else if (found && 'retiredUnitId' in found) problem('单位', `单位“${cells.单位}”已撤销，不能再添加人员`);
    else if (!unit) problem('单位', `单位“${cells.单位}”不在单位名录中（按名称、全称和别名都未找到）`);

    const roles = parseRoles(cells.角色);
    if (typeof roles === 'string') problem('角色', roles);

    const phone = cells.手机.replace(/[\s]/g, '');
    if (phone && !PHONE_PATTERN.test(phone)) problem('手机', `手机号码“${cells.手机}”格式不正确`);
    const email = cells.邮箱;
    if (email && (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)))
      problem('邮箱', `邮箱“${email}”格式不正确`);

    if (problems.length > 0 || !unit || typeof roles === 'string') {
      result.problems.push(...problems);
      continue;
    }
    result.candidates.push({
      row: source.row,
      username,
      displayName: cells.姓名,
      unitId: unit.id,
      unitName: unit.name,
      roles,
      phone: phone || null,
      email: email || null,
    });
  }
  return result;
}

/**
 * 角色: one or more role names or codes, separated by 、，,；; / or spaces. Returns the roles in their
 * canonical order, or a Chinese message naming the unknown one.
 */
export function parseRoles(cell: string): Role[] | string {
  const parts = cell
    .split(/[、，,；;/\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return '角色不能为空';
  const roles = new Set<Role>();
  for (const part of parts) {
    const role = ROLE_NAMES[part] ?? ROLES.find((code) => code === part.toLowerCase());
    if (!role) return `角色“${part}”无效（可用：${Object.keys(ROLE_NAMES).join('、')}，或 ${ROLES.join('、')}）`;
    roles.add(role);
  }
  return ROLES.filter((role) => roles.has(role));
}

/**
 * The unit a 单位 cell names, as plan import reads names (resolveUnitName: a merged unit's names mean the unit
 * that took it over) or by its id; a unit retired without a successor takes no new staff.
 */
function unitLookup(
  registry: readonly RegistryUnit[],
): (cell: string) => { unit: RegistryUnit } | { retiredUnitId: string } | null {
  const byId = new Map(registry.map((unit) => [unit.id, unit]));
  return (cell) => {
    const named = byId.get(cell.trim());
    const resolved = named ? { unitId: named.mergedInto ?? named.id } : resolveUnitName(registry, cell);
    if (!resolved) return null;
    if ('retiredUnitId' in resolved) return resolved;
    const unit = byId.get(resolved.unitId);
    if (!unit) return null;
    return unit.retired ? { retiredUnitId: unit.id } : { unit };
  };
}

/** A user already in the registry, as far as an import compares it. */
export interface ExistingStaff {
  username: string;
  displayName: string;
  unitId: string;
  roles: readonly string[];
  phone?: string | null;
  email?: string | null;
}

export interface StaffImportPlan {
  /** Rows whose username is new: the users to create. */
  create: StaffCandidate[];
  /** Rows whose user already exists with the same details: nothing to do (importing a file twice). */
  unchanged: StaffCandidate[];
  /** Rows whose username exists with other details: reported, never silently overwritten. */
  problems: StaffRowProblem[];
}

/**
 * Compares the checked rows with the users that exist: a new username is created, an identical user is
 * left alone (so importing the same file twice changes nothing), and a username that exists with another
 * name, unit or roles is an error on that row — an import never changes an existing account (that is
 * PATCH /users/:id, which is audited and revokes tokens).
 */
export function planStaffImport(
  candidates: readonly StaffCandidate[],
  existing: ReadonlyMap<string, ExistingStaff>,
): StaffImportPlan {
  const plan: StaffImportPlan = { create: [], unchanged: [], problems: [] };
  for (const candidate of candidates) {
    const user = existing.get(candidate.username);
    if (!user) {
      plan.create.push(candidate);
      continue;
    }
    const differences = differencesFrom(candidate, user);
    if (differences.length === 0) plan.unchanged.push(candidate);
    else
      plan.problems.push({
        row: candidate.row,
        column: '用户名',
        message: `用户名“${candidate.username}”已存在，但${differences.join('、')}与现有账号不同（导入不修改已有账号，请在用户管理中修改）`,
      });
  }
  return plan;
}

function differencesFrom(candidate: StaffCandidate, user: ExistingStaff): string[] {
  const differences: string[] = [];
  if (user.displayName !== candidate.displayName) differences.push('姓名');
  if (user.unitId !== candidate.unitId) differences.push('单位');
  const roles = [...user.roles].sort().join(',');
  if (roles !== [...candidate.roles].sort().join(',')) differences.push('角色');
  if (user.phone !== undefined && (user.phone ?? null) !== candidate.phone) differences.push('手机');
  if (user.email !== undefined && (user.email ?? null) !== candidate.email) differences.push('邮箱');
  return differences;
}
