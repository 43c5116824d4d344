import { DeadlineKind } from '@county/domain';
import { ParsedTask } from './model';

/** A task whose 完成时限 the parser did not understand: imported without a deadline (no clock) until one is set. */
export interface TaskWithoutDeadline {
  no: number;
  title: string;
  /** The 完成时限 text as written. */
  deadlineText: string;
}

/**
 * What an import says about tasks whose 完成时限 was not understood (e.g. 按上级要求): which they are, and, in
 * Chinese, what the supervision office must do. Null when every deadline was understood.
 */
export interface UnknownDeadlines {
  tasks: TaskWithoutDeadline[];
  message: string;
}

export function unknownDeadlines(tasks: readonly ParsedTask[]): UnknownDeadlines | null {
  const unknown = tasks
    .filter((task) => task.deadline.kind === DeadlineKind.Unknown)
    .map((task) => ({ no: task.no, title: task.title, deadlineText: task.deadline.text }));
  if (unknown.length === 0) return null;
  const named = unknown.map((task) => `第${task.no}项（完成时限“${task.deadlineText || '空'}”）`).join('、');
  return {
    tasks: unknown,
    message:
      `${unknown.length} 项任务的完成时限无法识别：${named}。这些任务导入后没有完成时限，不会提醒或预警，` +
      '请督查室为其设定完成时限。',
  };
}
