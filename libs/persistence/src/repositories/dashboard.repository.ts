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
 * One unit's record on its task assignments (work moved away by 转办 or cancelled does not count). A unit is
 * assessed against its original deadline (DESIGN §4.5), moved only by an approved extension request or by an office
 * decision (a deadline change with a reason) made before that deadline had passed: a unit that missed its deadline
 * and was given a later one stays measured against the date it missed (`assignments.assessed_due_at`, kept by the
 * assignment workflow; the rule is afterDeadlineChange in @county/domain).
 */
export interface AssignmentUnitMetrics {
  /** 1 = best: on-time rate, then fewer overdue, then more approved. */
  rank: number;
  unitId: string;
  unitName: string;
  /** Assignments the unit holds (not counting cancelled or reassigned ones). */
  total: number;
  approved: number;
  /** Approved, and the report that was approved went in at or before the deadline the unit is assessed against. */
  approvedOnTime: number;
  /** approvedOnTime / approved; null before anything is approved. */
  onTimeRate: number | null;
  /** Not approved and past the deadline while the work was with the unit (escalated at least once). */
  overdue: number;
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
    /** Units taking part in tasks, best first. */
    units: AssignmentUnitMetrics[];
  };
  calls: CountsBy & {
    /** County units that have received calls, best first. */
    units: CallUnitMetrics[];
    /** Every township, with the calls it has raised. */
    townships: TownshipCallMetrics[];
  };
}

function countsOf(rows: Array<{ dimension: string; value: string; n: number }>): CountsBy {
  const byStatus: Record<string, number> = {};
  const byLight: Record<string, number> = { green: 0, yellow: 0, red: 0 };
  for (const row of rows) (row.dimension === 'status' ? byStatus : byLight)[row.value] = row.n;
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  return { byStatus, byLight, total };
}

/** The supervision office's live picture (DESIGN §6 GET /dashboard), read from the read model only. */
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `planId`: task and assignment figures for one plan only (calls belong to no plan). */
  async dashboard(planId?: string): Promise<Dashboard> {
    const plan = planId ?? null;
    const [tasks, assignments, assignmentUnits, calls, units, townships] = await Promise.all([
      this.counts('tasks WHERE $1::uuid IS NULL OR plan_id = $1', [plan]),
      this.assignmentCounts(plan),
      this.assignmentUnitMetrics(plan),
      this.callCounts(),
      this.callUnitMetrics(),
      this.townshipMetrics(),
    ]);
    return {
      tasks,
      assignments: { ...assignments, units: assignmentUnits },
      calls: { ...calls, units, townships },
    };
  }

  /** `from`: a FROM clause (table, joins, filter) whose rows have a status and a light (`alias` qualifies them). */
  private async counts(from: string, parameters: unknown[] = [], alias = ''): Promise<CountsBy> {
    const rows: Array<{ dimension: string; value: string; n: number }> = await this.dataSource.query(
      `SELECT 'status' AS dimension, ${alias}status AS value, count(*)::int AS n FROM ${from} GROUP BY ${alias}status
       UNION ALL
       SELECT 'light', ${alias}light, count(*)::int FROM ${from} GROUP BY ${alias}light`,
      parameters,
    );
    return countsOf(rows);
  }

  /**
   * Assignments by status and light, summed from the counts the database keeps with every write to assignments
   * (assignment_counts, migration 1796594400000-read-model-at-scale): a few thousand rows at 100k assignments instead of all of them.
   */
  private async assignmentCounts(planId: string | null): Promise<CountsBy> {
    const rows: Array<{ dimension: string; value: string; n: number }> = await this.dataSource.query(
      `SELECT 'status' AS dimension, status AS value, sum(n)::int AS n FROM assignment_counts
        WHERE $1::uuid IS NULL OR plan_id = $1 GROUP BY status HAVING sum(n) > 0
       UNION ALL
       SELECT 'light', light, sum(n)::int FROM assignment_counts
        WHERE $1::uuid IS NULL OR plan_id = $1 GROUP BY light HAVING sum(n) > 0`,
      [planId],
    );
    return countsOf(rows);
  }

  /** Calls by status and light, summed from the counts kept with the calls (call_counts). */
  private async callCounts(): Promise<CountsBy> {
    const rows: Array<{ dimension: string; value: string; n: number }> = await this.dataSource.query(
      `SELECT 'status' AS dimension, status AS value, sum(n)::int AS n FROM call_counts GROUP BY status HAVING sum(n) > 0
       UNION ALL
       SELECT 'light', light, sum(n)::int FROM call_counts GROUP BY light HAVING sum(n) > 0`,
    );
    return countsOf(rows);
  }

  private async callUnitMetrics(): Promise<CallUnitMetrics[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      // Sums over the counts kept with the calls (call_counts, migration 1796594400000-read-model-at-scale).
      `WITH per_unit AS (
         SELECT u.id AS unit_id, u.name AS unit_name,
                sum(c.n)::int AS received,
                sum(c.responded)::int AS responded,
                sum(c.responded_on_time)::int AS responded_on_time,
                sum(c.resolved)::int AS resolved,
                sum(c.resolved_on_time)::int AS resolved_on_time,
                -- Each closing is one satisfied evaluation; each 不满意 reopened the call once.
                sum(c.closed)::int AS satisfied_evaluations,
                sum(c.rework)::int AS rework_count,
                (sum(c.response_seconds) / NULLIF(sum(c.response_n), 0))::float8 AS average_response_seconds
           -- A merged unit's calls count under the unit that took its work over (survivorOf, libs/domain).
           FROM call_counts c JOIN units r ON r.id = c.to_unit_id JOIN units u ON u.id = COALESCE(r.merged_into, r.id)
          GROUP BY u.id, u.name HAVING sum(c.n) > 0
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

  private async assignmentUnitMetrics(planId: string | null): Promise<AssignmentUnitMetrics[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      // The counts kept with the rows (assignment_counts): "on time" and "escalated" are part of what a row counts
      // under, so every figure is a sum over a few thousand count rows.
      `WITH per_unit AS (
         SELECT u.id AS unit_id, u.name AS unit_name,
                sum(c.n)::int AS total,
                COALESCE(sum(c.n) FILTER (WHERE c.status = 'approved'), 0)::int AS approved,
                -- Against the assessed deadline, not the one the unit now works to (on_time, kept with the counts).
                COALESCE(sum(c.n) FILTER (WHERE c.status = 'approved' AND c.on_time), 0)::int AS approved_on_time,
                COALESCE(sum(c.n) FILTER (WHERE c.status <> 'approved' AND c.escalated), 0)::int AS overdue,
                COALESCE(sum(c.n) FILTER (WHERE c.status <> 'approved' AND c.light = 'green'), 0)::int AS green,
                COALESCE(sum(c.n) FILTER (WHERE c.status <> 'approved' AND c.light = 'yellow'), 0)::int AS yellow,
                COALESCE(sum(c.n) FILTER (WHERE c.status <> 'approved' AND c.light = 'red'), 0)::int AS red
           -- A merged unit's assignments count under the unit that took its work over (survivorOf, libs/domain).
           FROM assignment_counts c JOIN units r ON r.id = c.unit_id JOIN units u ON u.id = COALESCE(r.merged_into, r.id)
          WHERE c.status NOT IN ('reassigned', 'cancelled', 'removed') AND ($1::uuid IS NULL OR c.plan_id = $1)
          GROUP BY u.id, u.name HAVING sum(c.n) > 0
       )
       SELECT *, approved_on_time::float8 / NULLIF(approved, 0) AS on_time_rate,
              row_number() OVER (
                ORDER BY approved_on_time::float8 / NULLIF(approved, 0) DESC NULLS LAST, overdue ASC, red ASC, approved DESC, unit_id
              )::int AS rank
         FROM per_unit ORDER BY rank`,
      [planId],
    );
    return rows.map((row) => ({
      rank: row.rank as number,
      unitId: row.unit_id as string,
      unitName: row.unit_name as string,
      total: row.total as number,
      approved: row.approved as number,
      approvedOnTime: row.approved_on_time as number,
      onTimeRate: (row.on_time_rate as number | null) ?? null,
      overdue: row.overdue as number,
      open: { green: row.green as number, yellow: row.yellow as number, red: row.red as number },
    }));
  }

  private async townshipMetrics(): Promise<TownshipCallMetrics[]> {
    const rows: Array<{ unit_id: string; unit_name: string; raised: number }> = await this.dataSource.query(
      `SELECT u.id AS unit_id, u.name AS unit_name, COALESCE(sum(c.n), 0)::int AS raised
         FROM units u
         LEFT JOIN units r ON COALESCE(r.merged_into, r.id) = u.id
         LEFT JOIN call_township_counts c ON c.from_unit_id = r.id
        WHERE u.kind = 'township' AND u.retired_at IS NULL GROUP BY u.id, u.name ORDER BY raised DESC, u.id`,
    );
    return rows.map((row) => ({ unitId: row.unit_id, unitName: row.unit_name, raised: row.raised }));
  }
}
