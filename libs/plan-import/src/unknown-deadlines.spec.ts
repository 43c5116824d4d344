import { DeadlineKind, parseDeadlineText } from '@county/domain';
import { ParsedTask } from './model';
import { unknownDeadlines } from './unknown-deadlines';

const task = (no: number, deadline: string): ParsedTask => ({
  no,
  title: `任务${no}`,
  measures: [],
  goals: [],
  leadUnits: [],
  responsibleUnits: [],
  allTownships: false,
  relatedDepartments: false,
  deadline: parseDeadlineText(deadline),
});

describe('tasks whose 完成时限 was not understood', () => {
  it('are named with their text, in Chinese', () => {
    const tasks = [task(1, '2027年6月底前'), task(2, '按上级要求'), task(3, '长期坚持'), task(4, '视情况而定')];
    expect(tasks[1].deadline.kind).toBe(DeadlineKind.Unknown);
    const found = unknownDeadlines(tasks)!;
    expect(found.tasks).toEqual([
      { no: 2, title: '任务2', deadlineText: '按上级要求' },
      { no: 4, title: '任务4', deadlineText: '视情况而定' },
    ]);
    expect(found.message).toBe(
      '2 项任务的完成时限无法识别：第2项（完成时限“按上级要求”）、第4项（完成时限“视情况而定”）。' +
        '这些任务导入后没有完成时限，不会提醒或预警，请督查室为其设定完成时限。',
    );
  });

  it('are none when every deadline was understood (an ongoing task has its reporting cycle)', () => {
    expect(unknownDeadlines([task(1, '2027年6月底前'), task(2, '长期坚持')])).toBeNull();
  });
});
