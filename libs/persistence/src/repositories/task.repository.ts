import { DataSource } from 'typeorm';
import { AssignmentRecord, AssignmentRole, DeadlineKind, TaskRecord } from '@county/domain';
import { AssignmentEntity } from '../entities/assignment.entity';
import { TaskEntity } from '../entities/task.entity';

export interface TaskFilter {
  planId?: string;
  status?: string;
  light?: string;
  /** Tasks in which this unit has an assignment. */
  unitId?: string;
  limit: number;
}

export interface AssignmentContext {
  assignment: AssignmentRecord;
  task: Pick<TaskRecord, 'id' | 'planId' | 'no' | 'title' | 'leadUnitIds'>;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Read side of tasks and assignments (the workflows write them through projection activities). */
export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: TaskFilter): Promise<TaskRecord[]> {
    const query = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('task')
      .orderBy('task.plan_id')
      .addOrderBy('task.no')
      .limit(filter.limit);
    if (filter.planId) {
      if (!UUID_PATTERN.test(filter.planId)) return [];
      query.andWhere('task.plan_id = :planId', { planId: filter.planId });
    }
    if (filter.status) query.andWhere('task.status = :status', { status: filter.status });
    if (filter.light) query.andWhere('task.light = :light', { light: filter.light });
    if (filter.unitId) {
      query.andWhere('EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = task.id AND a.unit_id = :unitId)', {
        unitId: filter.unitId,
      });
    }
    return (await query.getMany()).map(toTaskRecord);
  }

  async findWithAssignments(id: string): Promise<(TaskRecord & { assignments: AssignmentRecord[] }) | null> {
    if (!UUID_PATTERN.test(id)) return null;
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id });
    if (!task) return null;
    const assignments = await this.dataSource
      .getRepository(AssignmentEntity)
      .find({ where: { taskId: id }, order: { role: 'ASC', unitId: 'ASC' } });
    return { ...toTaskRecord(task), assignments: assignments.map(toAssignmentRecord) };
  }

  async findAssignment(id: string): Promise<AssignmentContext | null> {
    if (!UUID_PATTERN.test(id)) return null;
    const assignment = await this.dataSource.getRepository(AssignmentEntity).findOneBy({ id });
    if (!assignment) return null;
    const task = await this.dataSource.getRepository(TaskEntity).findOneByOrFail({ id: assignment.taskId });
    return {
      assignment: toAssignmentRecord(assignment),
      task: { id: task.id, planId: task.planId, no: task.no, title: task.title, leadUnitIds: task.leadUnitIds },
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
  };
}
