import { DataSource, In } from 'typeorm';
import {
  AssignmentRecord,
  AssignmentRole,
  AuditEventInput,
  LIVE_ASSIGNMENT_STATUSES,
  PlanSummary,
  TaskRecord,
  Unit,
} from '@county/domain';
import { AssignmentEntity } from '../entities/assignment.entity';
import { appendAuditEvent } from './audit.repository';
import { toAssignmentRecord, toTaskRecord } from './task.repository';
import { PlanEntity } from '../entities/plan.entity';
import { TaskEntity } from '../entities/task.entity';
import { UnitEntity } from '../entities/unit.entity';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { insertNotification, isUuid } from './sql';
import type { NotificationInput } from '@county/domain';

export interface NewPlan {
  title: string;
  sourceSha256: string;
  sourceFormat: 'txt' | 'docx' | 'xlsx';
  sourceFilename: string;
  importedBy: string;
  policy: Record<string, unknown>;
  deadlineYear: number | null;
  warnings: Array<{ line: number; message: string }>;
  /** Units the import adds to the registry (allowNewUnits). */
  newUnits: Unit[];
  /** A task as stored (TaskRecord's fields before it has an id or a status), with one assignment per unit. */
  tasks: Array<
    Pick<TaskRecord, 'no' | 'title' | 'measures' | 'goals' | 'leadUnitIds' | 'allTownships' | 'relatedDepartments'> & {
      deadline: Omit<TaskRecord['deadline'], 'dueAt'> & { dueAt: Date | null };
      assignments: Array<{ unitId: string; role: AssignmentRole }>;
    }
  >;
}

/** A plan as GET /plans lists it: with how much of its work is still open. */
export interface PlanListItem extends PlanSummary {
  openAssignments: number;
}

export interface PlanWithTasks extends PlanSummary {
  policy: Record<string, unknown>;
  deadlineYear: number | null;
  warnings: Array<{ line: number; message: string }>;
  tasks: Array<TaskRecord & { assignments: AssignmentRecord[] }>;
}

/**
 * Something the import must tell someone about the new plan (e.g. tasks without a deadline): one audit event and
 * one notification, about the plan, stored with it.
 */
export interface PlanImportAlert {
  audit: Omit<AuditEventInput, 'subjectId' | 'subjectType'>;
  notification: Omit<NotificationInput, 'subjectId' | 'subjectType'>;
}

/** Newest first; the id breaks ties. */
export const PLAN_KEY: KeyColumn[] = [
  { sql: 'p.imported_at', kind: 'timestamp', descending: true },
  { sql: 'p.id', kind: 'uuid' },
];

export class PlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findIdsBySha256(sha256: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(PlanEntity)
      .find({ select: { id: true }, where: { sourceSha256: sha256 } });
    return rows.map((row) => row.id);
  }

  /**
   * Stores a plan with its tasks and assignments in one transaction: an import is all or nothing. `alerts` are
   * stored with it, so each is raised exactly once per import.
   */
  async insert(
    plan: NewPlan,
    audit: Omit<AuditEventInput, 'subjectId'>,
    alerts: readonly PlanImportAlert[] = [],
  ): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      if (plan.newUnits.length > 0)
        await manager.insert(
          UnitEntity,
          plan.newUnits.map((unit) => ({ ...unit })),
        );
      const { identifiers } = await manager.insert(PlanEntity, {
        title: plan.title,
        sourceSha256: plan.sourceSha256,
        sourceFormat: plan.sourceFormat,
        sourceFilename: plan.sourceFilename,
        importedBy: plan.importedBy,
        // jsonb columns take the value as is; TypeORM's deep-partial typing does not model that.
        policy: plan.policy as never,
        deadlineYear: plan.deadlineYear,
        warnings: plan.warnings as never,
      });
      const planId = identifiers[0].id as string;
      for (const task of plan.tasks) {
        const inserted = await manager.insert(TaskEntity, {
          planId,
          no: task.no,
          title: task.title,
          measures: task.measures,
          goals: task.goals,
          leadUnitIds: task.leadUnitIds,
          allTownships: task.allTownships,
          relatedDepartments: task.relatedDepartments,
          deadlineText: task.deadline.text,
          deadlineDate: task.deadline.date,
          deadlineKind: task.deadline.kind,
          dueAt: task.deadline.dueAt,
        });
        const taskId = inserted.identifiers[0].id as string;
        if (task.assignments.length > 0) {
          await manager.insert(
            AssignmentEntity,
            task.assignments.map((assignment) => ({
              taskId,
              unitId: assignment.unitId,
              role: assignment.role,
              dueAt: task.deadline.dueAt,
              assessedDueAt: task.deadline.dueAt,
            })),
          );
        }
      }
      await appendAuditEvent(manager, { ...audit, subjectId: planId });
      for (const alert of alerts) {
        await appendAuditEvent(manager, { ...alert.audit, subjectType: 'plan', subjectId: planId });
        await insertNotification(
          manager,
          { ...alert.notification, subjectType: 'plan', subjectId: planId },
          `plan:${planId}:${alert.audit.action}`,
        );
      }
      return planId;
    });
  }

  /**
   * One keyset page of the plans, newest first (PLAN_KEY), and how many there are in all. Each plan comes with its
   * open work (live assignments on tasks not closed or cancelled): the board opens on the plan with the most.
   */
  async list(page: PageRequest): Promise<Keyed<PlanListItem> & { total: number }> {
    const params: unknown[] = [];
    const after = keysetAfter(PLAN_KEY, page.after, params);
    params.push(page.limit + 1);
    const [rows, [count]]: [Array<Record<string, unknown>>, Array<{ count: string }>] = await Promise.all([
      this.dataSource.query(
        `SELECT p.id, ${keySelect(PLAN_KEY)} FROM plans p WHERE ${after}
          ORDER BY ${keyOrder(PLAN_KEY)} LIMIT $${params.length}`,
        params,
      ),
      this.dataSource.query('SELECT count(*) AS count FROM plans'),
    ]);
    const ids = rows.map((row) => row.id as string);
    const [plans, counts] = await Promise.all([
      this.dataSource.getRepository(PlanEntity).findBy({ id: In(ids) }),
      // One grouped query for the whole page (no query per plan).
      this.dataSource.query(
        `SELECT t.plan_id, count(DISTINCT t.id)::int AS task_count,
                count(a.id) FILTER (WHERE a.status = ANY($2::text[])
                                      AND t.status NOT IN ('closed', 'cancelled'))::int AS open_assignments
           FROM tasks t LEFT JOIN assignments a ON a.task_id = t.id
          WHERE t.plan_id = ANY($1::uuid[])
          GROUP BY t.plan_id`,
        [ids, LIVE_ASSIGNMENT_STATUSES],
      ) as Promise<Array<{ plan_id: string; task_count: number; open_assignments: number }>>,
    ]);
    const countByPlan = new Map(counts.map((row) => [row.plan_id, row]));
    const planById = new Map(plans.map((plan) => [plan.id, plan]));
    return {
      ...keyedPage(
        rows,
        page.limit,
        (row) => selectedKey(PLAN_KEY, row),
        (row) => {
          const counted = countByPlan.get(row.id as string);
          return {
            ...toPlanSummary(planById.get(row.id as string)!, counted?.task_count ?? 0),
            openAssignments: counted?.open_assignments ?? 0,
          };
        },
      ),
      total: Number(count.count),
    };
  }

  /** A plan's title (an export names its filter by it); null for an id that names no plan. */
  async findTitle(id: string): Promise<string | null> {
    if (!isUuid(id)) return null;
    const plan = await this.dataSource.getRepository(PlanEntity).findOne({ select: { title: true }, where: { id } });
    return plan?.title ?? null;
  }

  async findWithTasks(id: string): Promise<PlanWithTasks | null> {
    if (!isUuid(id)) return null;
    const plan = await this.dataSource.getRepository(PlanEntity).findOneBy({ id });
    if (!plan) return null;
    const tasks = await this.dataSource.getRepository(TaskEntity).find({ where: { planId: id }, order: { no: 'ASC' } });
    const assignments = tasks.length
      ? await this.dataSource
          .getRepository(AssignmentEntity)
          .createQueryBuilder('assignment')
          .where('assignment.task_id = ANY(:ids)', { ids: tasks.map((task) => task.id) })
          .orderBy('assignment.role', 'ASC')
          .addOrderBy('assignment.unit_id', 'ASC')
          .getMany()
      : [];
    return {
      ...toPlanSummary(plan, tasks.length),
      policy: plan.policy,
      deadlineYear: plan.deadlineYear,
      warnings: plan.warnings,
      tasks: tasks.map((task) => ({
        ...toTaskRecord(task),
        assignments: assignments.filter((assignment) => assignment.taskId === task.id).map(toAssignmentRecord),
      })),
    };
  }
}

function toPlanSummary(row: PlanEntity, taskCount: number): PlanSummary {
  return {
    id: row.id,
    title: row.title,
    sourceSha256: row.sourceSha256,
    sourceFormat: row.sourceFormat,
    sourceFilename: row.sourceFilename,
    importedAt: row.importedAt.toISOString(),
    importedBy: row.importedBy,
    taskCount,
  };
}
