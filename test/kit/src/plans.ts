import { randomUUID } from 'node:crypto';
import { queryRows } from './db';
import { waitFor } from './wait';

/** A one-task list: lead 县审批局; responsible 县财政局 and 县民政局. */
export const ONE_TASK_LIST = [
  '测试任务清单',
  ...['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((column) => `\t${column}`),
  '',
  '\t1',
  '\t完善村级代办服务机制',
  '\t1.制定代办清单\n2.培训代办员',
  '\t1.代办服务覆盖全部行政村',
  '\t县审批局',
  '\t县财政局、县民政局',
  '\t2027年6月底前',
  '',
].join('\n');

/**
 * Two tasks led by 县审批局: task 1 as in ONE_TASK_LIST (县财政局 and 县民政局), task 2 with 县财政局 alone, due
 * `secondDeadline` (a 完成时限 as the list writes it: '按上级要求' is one the parser does not understand).
 */
export const twoTaskList = (secondDeadline = '2027年6月底前') =>
  [
    ONE_TASK_LIST.trimEnd(),
    '',
    '\t2',
    '\t规范代办服务流程',
    '\t1.制定流程图',
    '\t1.流程公开',
    '\t县审批局',
    '\t县财政局',
    `\t${secondDeadline}`,
    '',
  ].join('\n');

/** The users who work ONE_TASK_LIST: the supervision office, the lead unit (head and staff), both responsible units. */
export const ONE_TASK_LIST_USERS = [
  'supervisor',
  'approval.head',
  'approval.staff',
  'finance.staff',
  'civil-affairs.staff',
];

/** The one-task list, but 长期坚持: no deadline, a progress report every reporting cycle instead. */
export const ONGOING_LIST = ONE_TASK_LIST.replace('\t2027年6月底前', '\t长期坚持');

export interface ImportedAssignment {
  id: string;
  unitId: string;
  role: string;
  status: string;
}

export interface ImportedPlan {
  id: string;
  tasks: Array<{ id: string; no: number; assignments: ImportedAssignment[] }>;
}

/** The assignment of `unitId` on task `taskNo` (the first task unless named) of an imported plan. */
export function assignmentOf(plan: ImportedPlan, unitId: string, taskNo?: number): ImportedAssignment {
  const task = taskNo === undefined ? plan.tasks[0] : plan.tasks.find((candidate) => candidate.no === taskNo);
  const assignment = task?.assignments.find((candidate) => candidate.unitId === unitId);
  if (!assignment) throw new Error(`plan ${plan.id} has no assignment of ${unitId} on task ${taskNo ?? 1}`);
  return assignment;
}

export interface ImportOptions {
  /** How long every assignment workflow may take to start (default 30 s). */
  startTimeoutMs?: number;
  /** The database to watch for the starts (default: the run's). */
  databaseUrl?: string;
}

/**
 * Imports `text` (made unique, so repeated imports are not refused as duplicates) and waits until every assignment
 * workflow has started (each records "assigned" first).
 */
export async function importAndStart(
  api: { baseUrl: string },
  supervisorToken: string,
  text: string,
  fields: Record<string, string> = {},
  startTimeoutMsOrOptions: number | ImportOptions = {},
): Promise<ImportedPlan> {
  const options =
    typeof startTimeoutMsOrOptions === 'number' ? { startTimeoutMs: startTimeoutMsOrOptions } : startTimeoutMsOrOptions;
  const form = new FormData();
  // Trailing blank lines (of 0–15 spaces, one per hex digit of a random UUID) change the file's hash but not its
  // meaning, so each import is a new file: a few thousand counts of bare newlines collided within one run.
  const blankLines = [...randomUUID().replace(/-/g, '')].map((digit) => ' '.repeat(parseInt(digit, 16))).join('\n');
  form.append('file', new Blob([`${text}\n${blankLines}\n`]), 'plan.txt');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${api.baseUrl}/plans`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${supervisorToken}` },
  });
  if (response.status !== 201) throw new Error(`import failed: ${response.status} ${await response.text()}`);
  const plan = (await response.json()) as ImportedPlan;
  const ids = new Set(plan.tasks.flatMap((task) => task.assignments.map((assignment) => assignment.id)));
  await waitFor(
    `${ids.size} assignment workflows to start`,
    async () => {
      const [{ started }] = await queryRows<{ started: number }>(
        `SELECT count(DISTINCT subject_id)::int AS started FROM audit_events
          WHERE action = 'assignment.assigned' AND subject_id = ANY($1)`,
        [[...ids]],
        options.databaseUrl,
      );
      return started === ids.size;
    },
    options.startTimeoutMs ?? 30_000,
  );
  return plan;
}
