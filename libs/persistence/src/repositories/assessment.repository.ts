import { DataSource } from 'typeorm';
import type { AssessmentFigures } from '@county/domain';

/**
 * The figures of 考核 (scoreUnit in @county/domain) per unit for one period, from the read model only, with the
 * dashboard's semantics (DashboardRepository):
 * - an assignment belongs to the period its assessed deadline (`assessed_due_at`, 考核时限) falls in; it counts once
 *   that deadline has passed, or earlier when it is already approved on time (a running period is not held against
 *   work that is not due yet); work moved away by 转办, cancelled or removed does not count; ongoing tasks have no
 *   deadline and do not count;
 * - on time: approved, and the last report went in at or before the assessed deadline;
 * - overdue: approved late, or not approved and escalated on its deadline (the dashboard's overdue);
 * - escalations: those of the deadline clock (not the 签收 or 审核 clocks: the first is never counted as overdue, the
 *   second is the reviewer's) raised in the period, on the unit's assignments and on the calls it holds now;
 * - a call belongs to the period the unit got it in (`assigned_at`); on-time response and resolution and
 *   satisfaction as on the dashboard (each closing is one satisfied evaluation, each 不满意 one 返工).
 * A merged unit's work counts under the unit that took it over. `planId` narrows assignments and their
 * escalations; calls belong to no plan.
 */
export class AssessmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async figures(period: { start: Date; end: Date }, planId?: string): Promise<AssessmentFigures[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH counted AS (
         SELECT COALESCE(r.merged_into, r.id) AS unit_id, a.status, a.escalation_level, a.assessed_due_at,
                a.status = 'approved' AND
                  (SELECT max(e.at) FROM audit_events e
                    WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text AND e.action = 'assignment.submit')
                  <= a.assessed_due_at IS TRUE AS on_time
           FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units r ON r.id = a.unit_id
          WHERE a.status NOT IN ('reassigned', 'cancelled', 'removed') AND ($3::uuid IS NULL OR t.plan_id = $3)
            AND a.assessed_due_at >= $1 AND a.assessed_due_at < $2
       ), assignment_figures AS (
         SELECT unit_id,
                count(*) FILTER (WHERE on_time OR assessed_due_at <= now())::int AS due,
                count(*) FILTER (WHERE on_time)::int AS approved_on_time,
                count(*) FILTER (WHERE NOT on_time AND assessed_due_at <= now()
                                   AND (status = 'approved' OR escalation_level >= 1))::int AS overdue
           FROM counted GROUP BY unit_id
       ), escalation_figures AS (
         SELECT COALESCE(r.merged_into, r.id) AS unit_id,
                count(*) FILTER (WHERE e.level = 1)::int AS level1,
                count(*) FILTER (WHERE e.level = 2)::int AS level2,
                count(*) FILTER (WHERE e.level = 3)::int AS level3
           FROM escalations e
           LEFT JOIN assignments a ON e.subject_type = 'assignment' AND a.id::text = e.subject_id
           LEFT JOIN tasks t ON t.id = a.task_id
           LEFT JOIN calls c ON e.subject_type = 'call' AND c.id::text = e.subject_id
           JOIN units r ON r.id = COALESCE(a.unit_id, c.to_unit_id)
          WHERE e.created_at >= $1 AND e.created_at < $2
            -- The deadline clock only (the dedupe key is workflowId:step:sequence; see EscalationRepository).
            AND e.dedupe_key NOT LIKE '%:review-%' AND e.dedupe_key NOT LIKE '%:acknowledge-%'
            AND (a.id IS NULL OR a.status NOT IN ('reassigned', 'cancelled', 'removed'))
            AND ($3::uuid IS NULL OR c.id IS NOT NULL OR t.plan_id = $3)
          GROUP BY 1
       ), call_figures AS (
         SELECT COALESCE(r.merged_into, r.id) AS unit_id,
                count(*)::int AS received,
                -- A limit not yet computed (calendar year not loaded) cannot have been missed.
                count(*) FILTER (WHERE c.responded_at <= COALESCE(c.respond_due_at, 'infinity'))::int AS responded_on_time,
                count(*) FILTER (WHERE c.resolved_at <= COALESCE(c.resolve_due_at, 'infinity'))::int AS resolved_on_time,
                count(c.closed_at)::int AS satisfied,
                COALESCE(sum(c.rework_count), 0)::int AS rework
           FROM calls c JOIN units r ON r.id = c.to_unit_id
          WHERE c.assigned_at >= $1 AND c.assigned_at < $2
          GROUP BY 1
       ), unit_ids AS (
         SELECT unit_id FROM assignment_figures UNION SELECT unit_id FROM escalation_figures
         UNION SELECT unit_id FROM call_figures
       )
       SELECT u.id AS unit_id, u.name AS unit_name,
              COALESCE(af.due, 0) AS due, COALESCE(af.approved_on_time, 0) AS approved_on_time,
              COALESCE(af.overdue, 0) AS overdue,
              COALESCE(ef.level1, 0) AS level1, COALESCE(ef.level2, 0) AS level2, COALESCE(ef.level3, 0) AS level3,
              COALESCE(cf.received, 0) AS received, COALESCE(cf.responded_on_time, 0) AS responded_on_time,
              COALESCE(cf.resolved_on_time, 0) AS resolved_on_time, COALESCE(cf.satisfied, 0) AS satisfied,
              COALESCE(cf.rework, 0) AS rework
         FROM unit_ids i JOIN units u ON u.id = i.unit_id
         LEFT JOIN assignment_figures af ON af.unit_id = i.unit_id
         LEFT JOIN escalation_figures ef ON ef.unit_id = i.unit_id
         LEFT JOIN call_figures cf ON cf.unit_id = i.unit_id
        ORDER BY u.id`,
      [period.start, period.end, planId ?? null],
    );
    return rows.map((row) => ({
      unitId: row.unit_id as string,
      unitName: row.unit_name as string,
      assignmentsDue: row.due as number,
      approvedOnTime: row.approved_on_time as number,
      overdue: row.overdue as number,
      escalations: { level1: row.level1 as number, level2: row.level2 as number, level3: row.level3 as number },
      callsReceived: row.received as number,
      respondedOnTime: row.responded_on_time as number,
      resolvedOnTime: row.resolved_on_time as number,
      satisfied: row.satisfied as number,
      rework: row.rework as number,
    }));
  }
}
