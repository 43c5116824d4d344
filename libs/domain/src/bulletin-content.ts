/**
 * What a 督查通报 says, as plain data (issue 17): built from the read model by bulletinContent() in
 * libs/persistence, written to .docx by writeBulletin() in libs/reports, kept as jsonb for the list page.
 *
 * Two kinds of figures (the bulletin says which is which): `live` ones are the read model at generation time, the
 * same numbers GET /dashboard shows then (tasks and assignments by status and light, the ranking, the call metrics);
 * `inPeriod` ones count what happened inside the period where the records carry a time (calls raised, assignments
 * that fell overdue, i.e. got their first escalation).
 */

export interface BulletinCounts {
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  total: number;
}

export interface BulletinRankingRow {
  rank: number;
  unitId: string;
  unitName: string;
  total: number;
  approved: number;
  approvedOnTime: number;
  onTimeRate: number | null;
  overdue: number;
  red: number;
}

export interface BulletinCallRow {
  rank: number;
  unitId: string;
  unitName: string;
  received: number;
  responded: number;
  responseRate: number;
  onTimeResponseRate: number;
  resolutionRate: number;
  satisfactionRate: number | null;
  reworkCount: number;
}

export interface BulletinInstruction {
  authorName: string;
  authorUnitName: string;
  body: string;
  createdAt: string;
}

export interface BulletinFlaggedItem {
  escalationId: string;
  /** 任务 or 乡呼县应. */
  subjectType: 'assignment' | 'call';
  /** The task's title (an assignment's) or the call's subject. */
  subject: string;
  unitName: string;
  reason: string;
  createdAt: string;
  handled: boolean;
  instructions: BulletinInstruction[];
}

export interface BulletinContent {
  countyName: string;
  issuer: string;
  title: string;
  issueNumber: string;
  period: { key: string; kind: string; label: string; start: string; end: string };
  generatedAt: string;
  live: {
    tasks: BulletinCounts;
    assignments: BulletinCounts;
    approved: number;
    approvedOnTime: number;
    /** approvedOnTime / approved over every unit (the ranking's rows summed); null before anything is approved. */
    onTimeRate: number | null;
    /** Assignments overdue now (the ranking's `overdue` summed). */
    overdue: number;
    calls: {
      total: number;
      byStatus: Record<string, number>;
      responded: number;
      resolved: number;
      /** Satisfied evaluations / all evaluations, as the dashboard counts per unit; null before any evaluation. */
      satisfactionRate: number | null;
    };
  };
  inPeriod: {
    callsRaised: number;
    assignmentsFellOverdue: number;
  };
  redTasks: Array<{ no: number; title: string; leadUnitNames: string[]; deadlineText: string }>;
  overdueUnits: Array<{ unitId: string; unitName: string; overdue: number }>;
  ranking: BulletinRankingRow[];
  calls: BulletinCallRow[];
  flagged: BulletinFlaggedItem[];
}

/** The figures the list page shows beside each bulletin (kept with it as jsonb). */
export interface BulletinFigures {
  tasks: number;
  redTasks: number;
  overdue: number;
  onTimeRate: number | null;
  callsRaised: number;
  flagged: number;
}

export function bulletinFigures(content: BulletinContent): BulletinFigures {
  return {
    tasks: content.live.tasks.total,
    redTasks: content.redTasks.length,
    overdue: content.live.overdue,
    onTimeRate: content.live.onTimeRate,
    callsRaised: content.inPeriod.callsRaised,
    flagged: content.flagged.length,
  };
}

/** A rate as the bulletin prints it: 「87.5%」, 「—」 when there is nothing to divide by. */
export function percentText(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
