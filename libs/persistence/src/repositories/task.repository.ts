import { DataSource } from 'typeorm';
import {
  AssignmentRecord,
  AssignmentRole,
  AssignmentStatus,
  DeadlineKind,
  hasRole,
  OPEN_ASSIGNMENT_STATUSES,
  Role,
  TaskRecord,
  TaskStatus,
} from '@county/domain';
import { AssignmentEntity } from '../entities/assignment.entity';
import { TaskEntity } from '../entities/task.entity';
import {
  Keyed,
  keyedPage,
  KeyColumn,
  keyOrder,
  keySelect,
  keysetAfter,
  named,
  PageRequest,
  selectedKey,
} from './keyset';
import { isUuid } from './sql';

export interface TaskFilter {
  planId?: string;
  status?: string;
  light?: string;
  /** Tasks in which this unit has an assignment. */
  unitId?: string;
  /** Instants bounding the task's due date (inclusive); a task without one is outside any range. */
  dueFrom?: string;
  dueTo?: string;
}

/** The task list's order: by plan, then 序号; the id breaks ties (keyset pagination needs a total order). */
export const TASK_KEY: KeyColumn[] = [
  { sql: 'task.plan_id', kind: 'uuid' },
  { sql: 'task.no', kind: 'integer' },
  { sql: 'task.id', kind: 'uuid' },
];

export interface AssignmentContext {
  assignment: AssignmentRecord;
  task: Pick<TaskRecord, 'id' | 'planId' | 'no' | 'title' | 'leadUnitIds' | 'status'>;
}

export interface InboxItem {
  /** What is asked of the reader: do the work, review a report, consolidate a task, verify and close one. */
  kind: 'work' | 'review' | 'consolidate' | 'verify';
  taskId: string;
  taskNo: number;
  taskTitle: string;
  /** The task's list: two lists can hold the same 序号 and title, so 待办 groups and names rows by plan. */
  planId: string;
  planTitle: string;
  assignmentId: string | null;
  unitId: string | null;
  /** The assignment's role (null for a task row: consolidate, verify). */
  role: AssignmentRole | null;
  /** The assignment's status, or the task's for a task row. */
  status: string;
  light: string;
  dueAt: string | null;
  /** The task's status and lead units (what the rules deciding allowedActions look at). */
  taskStatus: string;
  leadUnitIds: string[];
}

/** What a unit sent and waits on (已报送，待审核): a report, a 汇总 or an extension request not yet decided. */
export interface SentItem {
  /** report: its report waits for the lead unit's review; consolidation: its 汇总 waits for 销号; extension: 延期. */
  kind: 'report' | 'consolidation' | 'extension';
  taskId: string;
  taskNo: number;
  taskTitle: string;
  planId: string;
  planTitle: string;
  /** null for a 汇总 (a task's, not one unit's part). */
  assignmentId: string | null;
  unitId: string;
  /** The assignment's status (report), the task's (consolidation) or the request's (extension). */
  status: string;
  dueAt: string | null;
  /** When it was sent (null: not recorded). */
  sentAt: string | null;
  /** For an extension request: the date asked for and why. */
  requestedDueAt: string | null;
  reason: string | null;
}

/** How many sent items 待办 lists at most (a unit has one live part per task; this is far beyond a day's view). */
export const MAX_SENT_ITEMS = 200;

/** Who reads the inbox: their rows come first; only a head of a lead unit (not a deputy) consolidates. */
export interface InboxReader {
  userId: string;
  unitId: string;
  consolidate: boolean;
}

/**
 * The inbox order: the reader's own rows, light (red, yellow, green), due date (none last), 序号, then task,
 * kind and assignment — a total order (two lists can hold the same 序号 and due date). NULLs fold into
 * sentinels that sort where NULLS LAST put them, so the key compares as the order sorts.
 */
export const INBOX_KEY: KeyColumn[] = [
  { sql: 'mine', kind: 'integer' },
  { sql: "CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END", kind: 'integer' },
  { sql: "COALESCE(due_at, '9999-12-31T00:00:00Z'::timestamptz)", kind: 'timestamp' },
  { sql: 'no', kind: 'integer' },
  { sql: 'task_id', kind: 'uuid' },
  { sql: 'kind', kind: 'text' },
  { sql: "COALESCE(assignment_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)", kind: 'uuid' },
];

/** Read side of tasks and assignments (the workflows write them through projection activities). */
export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of tasks and how many match the filter in all. */
  async list(filter: TaskFilter, page: PageRequest): Promise<Keyed<TaskRecord> & { total: number }> {
    const query = this.dataSource.getRepository(TaskEntity).createQueryBuilder('task');
    if (filter.planId) {
      if (!isUuid(filter.planId)) {
        keysetAfter(TASK_KEY, page.after, []);
        return { items: [], nextKey: null, total: 0 };
      }
      query.andWhere('task.plan_id = :planId', { planId: filter.planId });
    }
    if (filter.status) query.andWhere('task.status = :status', { status: filter.status });
    if (filter.light) query.andWhere('task.light = :light', { light: filter.light });
    if (filter.dueFrom) query.andWhere('task.due_at >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) query.andWhere('task.due_at <= :dueTo', { dueTo: filter.dueTo });
    if (filter.unitId) {
      query.andWhere('EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = task.id AND a.unit_id = :unitId)', {
        unitId: filter.unitId,
      });
    }
    const counted = query.clone();
    query
      .andWhere(
        keysetAfter(
          TASK_KEY,
          page.after,
          named((name, value) => query.setParameter(name, value)),
        ),
      )
      .orderBy('task.plan_id')
      .addOrderBy('task.no')
      .addOrderBy('task.id')
      .limit(page.limit + 1);
    const [rows, total] = await Promise.all([query.getMany(), counted.getCount()]);
    return { ...keyedPage(rows, page.limit, (row) => [row.planId, row.no, row.id], toTaskRecord), total };
  }

  async findWithAssignments(id: string): Promise<(TaskRecord & { assignments: AssignmentRecord[] }) | null> {
    if (!isUuid(id)) return null;
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id });
    if (!task) return null;
    const assignments = await this.dataSource
      .getRepository(AssignmentEntity)
      .find({ where: { taskId: id }, order: { role: 'ASC', unitId: 'ASC' } });
    return { ...toTaskRecord(task), assignments: assignments.map(toAssignmentRecord) };
  }

  /**
   * What waits for a unit and role: rows handed to the reader (承办人) first, then most urgent first (red, then
   * yellow, then by due date): its own open assignments; for heads of lead units, reports to review and (when
   * `reader.consolidate`) tasks to consolidate; for the supervision office, consolidated tasks to verify.
   * One keyset page of it (INBOX_KEY).
   */
  async inbox(
    unit: string | readonly string[],
    roles: readonly string[],
    reader: InboxReader,
    page: PageRequest,
  ): Promise<Keyed<InboxItem>> {
    // A unit and the units merged into it (their running work is its work now: actsForUnit, libs/domain).
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    const isHead = hasRole({ roles }, Role.Head);
    const isSupervisor = hasRole({ roles }, Role.Supervisor);
    const params: unknown[] = [
      unitIds,
      isHead,
      isSupervisor,
      isHead && reader.consolidate,
      OPEN_ASSIGNMENT_STATUSES,
      TaskStatus.InProgress,
      AssignmentStatus.Submitted,
      TaskStatus.AwaitingConsolidation,
      TaskStatus.AwaitingVerification,
      reader.userId,
      reader.unitId,
    ];
    const after = keysetAfter(INBOX_KEY, page.after, params);
    params.push(page.limit + 1);
    // mine: the reader is the row's 承办人 — the same test as handlersOf (the handler belongs to the row's unit).
    const mine = `CASE WHEN a.handler_user_id = $10 AND a.unit_id = $11 THEN 0 ELSE 1 END`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT *, ${keySelect(INBOX_KEY)} FROM (
         SELECT 'work' AS kind, t.id AS task_id, t.no, t.title, t.plan_id, p.title AS plan_title, a.id AS assignment_id,
                a.unit_id, a.role, a.status, a.light, a.due_at, t.status AS task_status, t.lead_unit_ids, ${mine} AS mine
           FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id
          WHERE a.unit_id = ANY($1::text[]) AND a.status = ANY($5::text[]) AND t.status = $6
         UNION ALL
         SELECT 'review', t.id, t.no, t.title, t.plan_id, p.title, a.id, a.unit_id, a.role, a.status, a.light, a.due_at,
                t.status, t.lead_unit_ids, ${mine}
           FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id
          WHERE $2 AND a.status = $7 AND t.lead_unit_ids::text[] && $1::text[]
         UNION ALL
         SELECT 'consolidate', t.id, t.no, t.title, t.plan_id, p.title, NULL, NULL, NULL, t.status, t.light, t.due_at,
                t.status, t.lead_unit_ids, 1
           FROM tasks t JOIN plans p ON p.id = t.plan_id
          WHERE $4 AND t.status = $8 AND t.lead_unit_ids::text[] && $1::text[]
         UNION ALL
         SELECT 'verify', t.id, t.no, t.title, t.plan_id, p.title, NULL, NULL, NULL, t.status, t.light, t.due_at,
                t.status, t.lead_unit_ids, 1
           FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE $3 AND t.status = $9
       ) inbox
       WHERE ${after}
       ORDER BY ${keyOrder(INBOX_KEY)}
       LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(INBOX_KEY, row), toInboxItem);
  }

  /**
   * What these units sent and still wait on, newest first: reports waiting for the lead unit's review (of a task
   * in progress), 汇总 waiting for the supervision office's 销号, extension requests not yet decided.
   */
  async sent(unit: string | readonly string[]): Promise<SentItem[]> {
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM (
         SELECT 'report' AS kind, t.id AS task_id, t.no, t.title, t.plan_id, p.title AS plan_title,
                a.id AS assignment_id, a.unit_id, a.status, a.due_at, NULL::timestamptz AS requested_due_at,
                NULL::text AS reason,
                (SELECT max(e.at) FROM audit_events e WHERE e.subject_type = 'assignment'
                    AND e.subject_id = a.id::text AND e.action = 'assignment.submit') AS sent_at
           FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id
          WHERE a.unit_id = ANY($1::text[]) AND a.status = $2 AND t.status = $3
         UNION ALL
         SELECT 'consolidation', t.id, t.no, t.title, t.plan_id, p.title, NULL, lead.unit_id, t.status, t.due_at,
                NULL, NULL,
                (SELECT max(e.at) FROM audit_events e WHERE e.subject_type = 'task'
                    AND e.subject_id = t.id::text AND e.action IN ('task.consolidate', 'task.consolidated'))
           FROM tasks t JOIN plans p ON p.id = t.plan_id
           CROSS JOIN LATERAL (SELECT unnest(t.lead_unit_ids::text[]) AS unit_id) lead
          WHERE t.status = $4 AND lead.unit_id = ANY($1::text[])
         UNION ALL
         SELECT 'extension', t.id, t.no, t.title, t.plan_id, p.title, a.id, a.unit_id, r.status, a.due_at,
                r.requested_due_at, r.reason, r.created_at
           FROM extension_requests r JOIN assignments a ON a.id = r.assignment_id JOIN tasks t ON t.id = a.task_id
           JOIN plans p ON p.id = t.plan_id
          WHERE a.unit_id = ANY($1::text[]) AND r.status = 'pending'
       ) sent
       ORDER BY sent_at DESC NULLS LAST, task_id, kind
       LIMIT ${MAX_SENT_ITEMS}`,
      [unitIds, AssignmentStatus.Submitted, TaskStatus.InProgress, TaskStatus.AwaitingVerification],
    );
    const iso = (value: unknown) => (value ? (value as Date).toISOString() : null);
    return rows.map((row) => ({
      kind: row.kind as SentItem['kind'],
      taskId: row.task_id as string,
      taskNo: row.no as number,
      taskTitle: row.title as string,
      planId: row.plan_id as string,
      planTitle: row.plan_title as string,
      assignmentId: (row.assignment_id as string | null) ?? null,
      unitId: row.unit_id as string,
      status: row.status as string,
      dueAt: iso(row.due_at),
      sentAt: iso(row.sent_at),
      requestedDueAt: iso(row.requested_due_at),
      reason: (row.reason as string | null) ?? null,
    }));
  }

  async findAssignment(id: string): Promise<AssignmentContext | null> {
    if (!isUuid(id)) return null;
    const assignment = await this.dataSource.getRepository(AssignmentEntity).findOneBy({ id });
    if (!assignment) return null;
    const task = await this.dataSource.getRepository(TaskEntity).findOneByOrFail({ id: assignment.taskId });
    return {
      assignment: toAssignmentRecord(assignment),
      task: {
        id: task.id,
        planId: task.planId,
        no: task.no,
        title: task.title,
        leadUnitIds: task.leadUnitIds,
        status: task.status,
      },
    };
  }
}

export function toTaskRecord(row: TaskEntity): TaskRecord {
  return {
    id: row.id,
    planId: row.planId,
    no: row.no,
    title: row.title,
    measures: row.measures,
    goals: row.goals,
    leadUnitIds: row.leadUnitIds,
    allTownships: row.allTownships,
    relatedDepartments: row.relatedDepartments,
    deadline: {
      text: row.deadlineText,
      date: row.deadlineDate,
      kind: row.deadlineKind as DeadlineKind,
      dueAt: row.dueAt?.toISOString() ?? null,
    },
    status: row.status,
    light: row.light,
  };
}

export function toAssignmentRecord(row: AssignmentEntity): AssignmentRecord {
  return {
    id: row.id,
    taskId: row.taskId,
    unitId: row.unitId,
    role: row.role as AssignmentRole,
    status: row.status,
    dueAt: row.dueAt?.toISOString() ?? null,
    escalationLevel: row.escalationLevel,
    light: row.light,
    reassignedFromId: row.reassignedFromId,
  };
}

function toInboxItem(row: Record<string, unknown>): InboxItem {
  return {
    kind: row.kind as InboxItem['kind'],
    taskId: row.task_id as string,
    taskNo: row.no as number,
    taskTitle: row.title as string,
    planId: row.plan_id as string,
    planTitle: row.plan_title as string,
    assignmentId: (row.assignment_id as string | null) ?? null,
    unitId: (row.unit_id as string | null) ?? null,
    role: (row.role as AssignmentRole | null) ?? null,
    status: row.status as string,
    taskStatus: row.task_status as string,
    leadUnitIds: row.lead_unit_ids as string[],
    light: row.light as string,
    dueAt: row.due_at ? (row.due_at as Date).toISOString() : null,
  };
}
