import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AssignmentRole,
  currentUnits,
  DomainError,
  endOfDeadlineDay,
  ErrorCode,
  Policy,
  PolicyError,
  resolvePolicy,
  shiftDeadlineYear,
  Unit,
  UnitKind,
  User,
} from '@county/domain';
import {
  detectFormat,
  DocumentFormat,
  locationLabel,
  parsePlanDocumentInWorker,
  ParsedPlan,
  PlanParseError,
  resolvePlanUnits,
  UnitResolution,
  UnknownDeadlines,
  unknownDeadlines,
} from '@county/plan-import';
import { NewPlan, PlanImportAlert, PlanRepository, PlanWithTasks, UnitRepository } from '@county/persistence';
import { loadDefaultPolicy } from '../database/seeds';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import { ImportForm } from './import-form';

export interface PlanPreview {
  title: string;
  format: DocumentFormat;
  sourceSha256: string;
  /** Plans already imported from this exact file. */
  alreadyImportedAs: string[];
  plan: ParsedPlan;
  units: UnitResolution;
  /** Tasks whose 完成时限 was not understood: imported without a deadline until the supervision office sets one. */
  unknownDeadlines: UnknownDeadlines | null;
}

/** The import's answer: the plan as stored, and the tasks it could not give a deadline. */
export type ImportedPlan = PlanWithTasks & { unknownDeadlines: UnknownDeadlines | null };

@Injectable()
export class PlanImportService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly units: UnitRepository,
    private readonly workflows: WorkflowGateway,
  ) {}

  /** Parses and resolves without storing anything. */
  async preview(form: ImportForm): Promise<PlanPreview> {
    const plan = await parse(form.bytes);
    return {
      title: plan.title,
      format: detectFormat(form.bytes),
      sourceSha256: form.sha256,
      alreadyImportedAs: await this.plans.findIdsBySha256(form.sha256),
      plan: form.year === null ? plan : withYear(plan, form.year),
      units: resolvePlanUnits(plan, await this.units.list()),
      unknownDeadlines: unknownDeadlines(plan.tasks),
    };
  }

  async import(form: ImportForm, importer: User): Promise<ImportedPlan> {
    const policy = await resolvePlanPolicy(form.policy);
    const preview = await this.preview(form);
    if (preview.alreadyImportedAs.length > 0 && !form.allowDuplicate) {
      // Worded for the person at the import page (by the plans' titles, and the box they tick); a client
      // reads existingPlanIds and sends allowDuplicate=true.
      const titles = await Promise.all(preview.alreadyImportedAs.map((id) => this.plans.findTitle(id)));
      throw new DomainError(
        ErrorCode.DuplicatePlan,
        `该文件已经导入过，导入为${titles.map((title) => `《${title ?? '（无标题）'}》`).join('、')}；如确需再次导入，请勾选“仍要再次导入”。`,
        { existingPlanIds: preview.alreadyImportedAs },
      );
    }
    const { unresolved, retired } = preview.units;
    if (retired.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `单位已撤销，不能承接新任务：${retired.join('、')}。请改为承接其工作的单位。`,
        { retired },
      );
    }
    if (unresolved.length > 0 && !form.allowNewUnits) {
      throw new DomainError(
        ErrorCode.UnresolvedUnits,
        `以下单位不在单位名录中：${unresolved.join('、')}。请更正单位名称或先在单位名录中添加；如确为新单位，请勾选“将未识别的单位添加为新单位”后再导入。`,
        { unresolved },
      );
    }

    const registry = await this.units.list();
    const newUnits = unresolved.map((name) => newUnitFor(name, registry));
    const unitIds = { ...preview.units.resolved, ...Object.fromEntries(newUnits.map((unit) => [unit.name, unit.id])) };
    const townshipIds = currentUnits(registry)
      .filter((unit) => unit.kind === UnitKind.Township)
      .map((unit) => unit.id);

    const newPlan: NewPlan = {
      title: preview.title,
      sourceSha256: preview.sourceSha256,
      sourceFormat: preview.format,
      sourceFilename: form.filename,
      importedBy: importer.id,
      policy: policy as unknown as Record<string, unknown>,
      deadlineYear: form.year,
      warnings: preview.plan.warnings,
      newUnits,
      tasks: preview.plan.tasks.map((task) => ({
        no: task.no,
        title: task.title,
        measures: task.measures,
        goals: task.goals,
        leadUnitIds: task.leadUnits.map((name) => unitIds[name]),
        allTownships: task.allTownships,
        relatedDepartments: task.relatedDepartments,
        deadline: { ...task.deadline, dueAt: task.deadline.date ? endOfDeadlineDay(task.deadline.date) : null },
        assignments: assignmentsFor(
          task.leadUnits.map((name) => unitIds[name]),
          [...task.responsibleUnits.map((name) => unitIds[name]), ...(task.allTownships ? townshipIds : [])],
        ),
      })),
    };
    // Tasks without a clock must not go unsupervised: the supervision office is told, once, to set their deadlines.
    const unknown = preview.unknownDeadlines;
    const alerts: PlanImportAlert[] = unknown
      ? [
          {
            audit: {
              actorUserId: importer.id,
              actorUnitId: importer.unitId,
              action: 'plan.deadlines-unknown',
              workflowId: null,
              payload: { tasks: unknown.tasks },
            },
            notification: {
              recipientUnitId: 'supervision',
              recipientRole: 'supervisor',
              kind: 'plan-deadlines-unknown',
              title: `清单「${preview.title}」有 ${unknown.tasks.length} 项任务未设完成时限，请设定`,
              body: unknown.message,
            },
          },
        ]
      : [];
    const planId = await this.plans.insert(
      newPlan,
      {
        actorUserId: importer.id,
        actorUnitId: importer.unitId,
        action: 'plan.imported',
        subjectType: 'plan',
        workflowId: null,
        payload: {
          title: newPlan.title,
          sourceSha256: newPlan.sourceSha256,
          sourceFilename: newPlan.sourceFilename,
          tasks: newPlan.tasks.length,
          assignments: newPlan.tasks.reduce((sum, task) => sum + task.assignments.length, 0),
          deadlineYear: newPlan.deadlineYear,
          newUnits: newUnits.map((unit) => ({ id: unit.id, name: unit.name })),
        },
      },
      alerts,
    );
    const stored = (await this.plans.findWithTasks(planId))!;
    await this.workflows.startPlan(stored).catch((error: unknown) => {
      // The person is told what happened and what to do; the cause, in the workflow client's words, stays last.
      throw new DomainError(
        ErrorCode.DependencyUnavailable,
        `清单《${stored.title}》已保存，但流程服务暂时不可用，其任务流程未能启动。` +
          `请在流程服务恢复后重新启动该清单的流程（POST /api/v1/plans/${planId}/start）。` +
          `（原因：${error instanceof Error ? error.message : String(error)}）`,
        { planId },
      );
    });
    return { ...stored, unknownDeadlines: unknown };
  }
}

/** One assignment per unit: lead units as `lead`; a unit named as both lead and responsible stays lead. */
export function assignmentsFor(
  leadUnitIds: string[],
  responsibleUnitIds: string[],
): Array<{ unitId: string; role: AssignmentRole }> {
  const assignments = new Map<string, AssignmentRole>();
  for (const unitId of leadUnitIds) assignments.set(unitId, AssignmentRole.Lead);
  for (const unitId of responsibleUnitIds)
    if (!assignments.has(unitId)) assignments.set(unitId, AssignmentRole.Responsible);
  return [...assignments].map(([unitId, role]) => ({ unitId, role }));
}

/** The defaults with the plan's own policy laid over them; a bad field is a 400 naming it. */
async function resolvePlanPolicy(overrides: Record<string, unknown>): Promise<Policy> {
  // 考核 spans plans: its weights are the county's (ASSESSMENT_POLICY), and a plan's would be silently ignored.
  if (overrides && typeof overrides === 'object' && 'assessment' in overrides) {
    const problem = 'is county-wide (ASSESSMENT_POLICY on the API), not set per plan';
    throw new DomainError(ErrorCode.ValidationFailed, `policy.assessment: ${problem}`, {
      errors: [{ field: 'policy.assessment', problems: [problem] }],
    });
  }
  try {
    return resolvePolicy(await loadDefaultPolicy(), overrides);
  } catch (error) {
    if (error instanceof PolicyError) {
      // Same shape as the validation pipe's errors: [{ field, problems }].
      const errors = error.problems.map((problem) => {
        const [field, ...rest] = problem.split(': ');
        return { field, problems: [rest.join(': ')] };
      });
      throw new DomainError(ErrorCode.ValidationFailed, error.problems.join('; '), { errors });
    }
    throw error;
  }
}

/** Parsed in a worker thread: the document is untrusted, and its parse must not stall the event loop. */
async function parse(bytes: Buffer): Promise<ParsedPlan> {
  try {
    return await parsePlanDocumentInWorker(bytes);
  } catch (error) {
    if (error instanceof PlanParseError) {
      // An .xlsx location names the worksheet too (工作表「Sheet1」第 12 行); `sheet` is absent for .txt and .docx.
      const where = locationLabel(error.line, error.sheet);
      throw new DomainError(ErrorCode.InvalidDocument, where ? `${where}：${error.message}` : error.message, {
        line: error.line,
        ...(error.sheet === undefined ? {} : { sheet: error.sheet }),
      });
    }
    throw error;
  }
}

function withYear(plan: ParsedPlan, year: number): ParsedPlan {
  return { ...plan, tasks: plan.tasks.map((task) => ({ ...task, deadline: shiftDeadlineYear(task.deadline, year) })) };
}

/**
 * A registry entry for a unit first met in an imported list. The id is derived from the name so the
 * same name always gets the same id; the kind is a best guess an admin can correct.
 */
function newUnitFor(name: string, registry: Unit[]): Unit {
  const id = `unit-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
  if (registry.some((unit) => unit.id === id)) throw new Error(`unit id collision for "${name}"`);
  const kind = /[镇乡]$/.test(name)
    ? UnitKind.Township
    : name.startsWith('市')
      ? UnitKind.CityBranch
      : UnitKind.CountyDepartment;
  return { id, name, fullName: name, aliases: [], kind };
}
