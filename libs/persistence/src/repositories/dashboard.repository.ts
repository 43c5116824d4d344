import { DataSource } from 'typeorm';

export interface CountsBy {
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  total: number;
}

/**
 * One county unit's record on the calls addressed to it now (a reassigned call counts for the unit it was
 * reassigned to, measured from when that unit got it). Rates are fractions 0…1, null when there is
 * nothing to divide by (no evaluation yet, no response yet). Every number derives from the timestamps the call workflows stored.
 */
export interface CallUnitMetrics {
  /** 1 = best: on-time resolution, then satisfaction, then on-time response, then faster response. */
  rank: number;
  unitId: string;
  unitName: string;
  received: number;
  responded: number;
  /** responded / received. */
  responseRate: number;
  /** Responses at or before the response limit, / received (an unanswered call is not on time). */
  onTimeResponseRate: number;
  /** Calls whose latest resolution stands (resolved or closed), / received. */
  resolutionRate: number;
  /** Of those, resolved at or before the running round's limit, / received. */
  onTimeResolutionRate: number;
  /** Satisfied evaluations (满意, 基本满意, or closed 满意 by default) / all evaluations including 不满意. */
  satisfactionRate: number | null;
  /** 不满意 evaluations, each of which reopened a call (返工). */
  reworkCount: number;
  /** Mean seconds from the unit getting the call to its 签收, over responded calls. */
  averageResponseSeconds: number | null;
}

/**
 * One unit's record on its task work (assignments). Open work is counted by light; overdue is open work past
 * its current due date; on-time rate = approved at or before the due date / (approved + overdue), null when
 * neither has happened yet.
 */
export interface AssignmentUnitMetrics {
  /** 1 = best: on-time rate, then fewest overdue, then fewest red. */
  rank: number;
  unitId: string;
  unitName: string;
  /** Assignments the unit holds (not counting cancelled or reassigned ones). */
  total: number;
  approved: number;
  approvedOnTime: number;
  overdue: number;
  onTimeRate: number | null;
  /** Open (not yet approved) assignments by light. */
  open: { green: number; yellow: number; red: number };
}

export interface TownshipCallMetrics {
  unitId: string;
  unitName: string;
  raised: number;
}

export interface Dashboard {
  tasks: CountsBy;
  assignments: CountsBy & {
    /** Units with task work, best first. */
    units: AssignmentUnitMetrics[];
  };
  calls: CountsBy & {
    /** County units that have received calls, best first. */
    units: CallUnitMetrics[];
    /** Every township, with the calls it has raised. */
    townships: TownshipCallMetrics[];
  };
}

/** The supervision office's live picture (DESIGN §6 GET /dashboard), read from the read model only. */
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  async dashboard(): Promise<Dashboard> {
    const [tasks, assignments, calls, units, townships, assignmentUnits] = await Promise.all([
      this.counts('tasks'),
      this.counts('assignments'),
      this.counts('calls'),
      this.callUnitMetrics(),
      this.townshipMetrics(),
      this.assignmentUnitMetrics(),
    ]);
    return {
      tasks,
      assignments: { ...assignments, units: assignmentUnits },
      calls: { ...calls, units, townships },
    };
  }

  private async counts(table: 'tasks' | 'assignments' | 'calls'): Promise<CountsBy> {
    const rows: Array<{ dimension: string; value: string; n: number }> = await this.dataSource.query(
      `SELECT 'status' AS dimension, status AS value, count(*)::int AS n FROM ${table} GROUP BY status
       UNION ALL
       SELECT 'light', light, count(*)::int FROM ${table} GROUP BY light`,
    );
    const byStatus: Record<string, number> = {};
    const byLight: Record<string, number> = { green: 0, yellow: 0, red: 0 };
    for (const row of rows) (row.dimension === 'status' ? byStatus : byLight)[row.value] = row.n;
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return { byStatus, byLight, total };
  }

  private async callUnitMetrics(): Promise<CallUnitMetrics[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH per_unit AS (
         SELECT u.id AS unit_id, u.name AS unit_name,
                count(*)::int AS received,
                count(c.responded_at)::int AS responded,
                -- A limit not yet computed (calendar year not loaded) cannot have been missed.
                count(*) FILTER (WHERE c.responded_at <= COALESCE(c.respond_due_at, 'infinity'))::int AS responded_on_time,
                count(c.resolved_at)::int AS resolved,
                count(*) FILTER (WHERE c.resolved_at <= COALESCE(c.resolve_due_at, 'infinity'))::int AS resolved_on_time,
                -- Each closing is one satisfied evaluation; each 不满意 reopened the call once.
                count(c.closed_at)::int AS satisfied_evaluations,
                sum(c.rework_count)::int AS rework_count,
                avg(extract(epoch FROM c.responded_at - c.assigned_at))::float8 AS average_response_seconds
           FROM calls c JOIN units u ON u.id = c.to_unit_id
          GROUP BY u.id, u.name
       ), rates AS (
         SELECT *,
                responded::float8 / received AS response_rate,
                responded_on_time::float8 / received AS on_time_response_rate,
                resolved::float8 / received AS resolution_rate,
                resolved_on_time::float8 / received AS on_time_resolution_rate,
                satisfied_evaluations::float8 / NULLIF(satisfied_evaluations + rework_count, 0) AS satisfaction_rate
           FROM per_unit
       )
       SELECT *, row_number() OVER (
                   ORDER BY on_time_resolution_rate DESC, satisfaction_rate DESC NULLS LAST,
                            on_time_response_rate DESC, average_response_seconds ASC NULLS LAST, unit_id
                 )::int AS rank
         FROM rates ORDER BY rank`,
    );
    return rows.map((row) => ({
      rank: row.rank as number,
      unitId: row.unit_id as string,
      unitName: row.unit_name as string,
      received: row.received as number,
      responded: row.responded as number,
      responseRate: row.response_rate as number,
      onTimeResponseRate: row.on_time_response_rate as number,
      resolutionRate: row.resolution_rate as number,
      onTimeResolutionRate: row.on_time_resolution_rate as number,
      satisfactionRate: (row.satisfaction_rate as number | null) ?? null,
      reworkCount: row.rework_count as number,
      averageResponseSeconds: (row.average_response_seconds as number | null) ?? null,
    }));
  }

  private async assignmentUnitMetrics(): Promise<AssignmentUnitMetrics[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH work AS (
         SELECT a.*, (a.status NOT IN ('approved', 'cancelled', 'reassigned')) AS open,
                -- The approval time comes from the audit log (the read model keeps only the current status).
                (SELECT max(e.at) FROM audit_events e
                  WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text AND e.action = 'assignment.approve'
                ) AS approved_at
           FROM assignments a WHERE a.status NOT IN ('cancelled', 'reassigned')
       ), per_unit AS (
         SELECT u.id AS unit_id, u.name AS unit_name, count(*)::int AS total,
                count(*) FILTER (WHERE w.status = 'approved')::int AS approved,
                count(*) FILTER (WHERE w.status = 'approved' AND w.approved_at <= COALESCE(w.due_at, 'infinity'))::int
                  AS approved_on_time,
                count(*) FILTER (WHERE w.open AND w.due_at < now())::int AS overdue,
                count(*) FILTER (WHERE w.open AND w.light = 'green')::int AS green,
                count(*) FILTER (WHERE w.open AND w.light = 'yellow')::int AS yellow,
                count(*) FILTER (WHERE w.open AND w.light = 'red')::int AS red
           FROM work w JOIN units u ON u.id = w.unit_id
          GROUP BY u.id, u.name
       ), rates AS (
         SELECT *, approved_on_time::float8 / NULLIF(approved + overdue, 0) AS on_time_rate FROM per_unit
       )
       SELECT *, row_number() OVER (ORDER BY on_time_rate DESC NULLS LAST, overdue, red, unit_id)::int AS rank
         FROM rates ORDER BY rank`,
    );
    return rows.map((row) => ({
      rank: row.rank as number,
      unitId: row.unit_id as string,
      unitName: row.unit_name as string,
      total: row.total as number,
      approved: row.approved as number,
      approvedOnTime: row.approved_on_time as number,
      overdue: row.overdue as number,
      onTimeRate: (row.on_time_rate as number | null) ?? null,
      open: { green: row.green as number, yellow: row.yellow as number, red: row.red as number },
    }));
  }

  private async townshipMetrics(): Promise<TownshipCallMetrics[]> {
    const rows: Array<{ unit_id: string; unit_name: string; raised: number }> = await this.dataSource.query(
      `SELECT u.id AS unit_id, u.name AS unit_name, count(c.id)::int AS raised
         FROM units u LEFT JOIN calls c ON c.from_unit_id = u.id
        WHERE u.kind = 'township' GROUP BY u.id, u.name ORDER BY raised DESC, u.id`,
    );
    return rows.map((row) => ({ unitId: row.unit_id, unitName: row.unit_name, raised: row.raised }));
  }
}
