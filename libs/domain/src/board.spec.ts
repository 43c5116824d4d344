import { AssignmentStatus } from './assignment-state';
import { ASSIGNMENT_CHIP_LABELS, assignmentChipLabel, defaultBoardPlan, taskProgress } from './board';

describe('the board chip words', () => {
  it('name every assignment status, each with its own word', () => {
    expect(Object.keys(ASSIGNMENT_CHIP_LABELS).sort()).toEqual(Object.values(AssignmentStatus).sort());
    expect(new Set(Object.values(ASSIGNMENT_CHIP_LABELS)).size).toBe(Object.values(AssignmentStatus).length);
    expect(assignmentChipLabel('approved')).toBe('通过');
    expect(assignmentChipLabel('submitted')).toBe('已报送');
    expect(assignmentChipLabel('something-new')).toBe('something-new');
  });
});

describe('a task’s progress on the board', () => {
  it('counts signed, submitted and approved units out of the units on the task', () => {
    const progress = taskProgress([
      { status: 'assigned', percent: null },
      { status: 'acknowledged', percent: null },
      { status: 'in-progress', percent: 40 },
      { status: 'submitted', percent: 90 },
      { status: 'returned', percent: 60 },
      { status: 'approved', percent: 80 },
      // Moved away by 转办, taken off, cancelled: not units of the task any more.
      { status: 'reassigned', percent: 10 },
      { status: 'removed', percent: null },
      { status: 'cancelled', percent: null },
    ]);
    expect(progress).toEqual({
      total: 6,
      acknowledged: 5,
      submitted: 2,
      approved: 1,
      returned: 1,
      // (0 + 0 + 40 + 90 + 60 + 100) / 6 = 48.3: an approved unit counts 100, one that never reported 0.
      percent: 48,
    });
  });

  it('reads 13 of 13 approved as all signed, submitted and approved at 100 %', () => {
    const parts = Array.from({ length: 13 }, () => ({ status: 'approved', percent: null }));
    expect(taskProgress(parts)).toEqual({
      total: 13,
      acknowledged: 13,
      submitted: 13,
      approved: 13,
      returned: 0,
      percent: 100,
    });
  });

  it('has no percentage without units, and clamps a stray one', () => {
    expect(taskProgress([]).percent).toBeNull();
    expect(taskProgress([{ status: 'in-progress', percent: 250 }]).percent).toBe(100);
  });
});

describe('the plan the board opens on', () => {
  const plans = [
    { id: 'test', importedAt: '2026-12-04T10:00:00Z', openAssignments: 3 },
    { id: 'seed', importedAt: '2026-12-01T10:00:00Z', openAssignments: 290 },
    { id: 'done', importedAt: '2026-12-03T10:00:00Z', openAssignments: 0 },
  ];
  it('is the one chosen last while it exists', () => {
    expect(defaultBoardPlan(plans, 'done')).toBe('done');
    expect(defaultBoardPlan(plans, 'deleted')).toBe('seed');
  });
  it('is otherwise the plan with the most open work, not the newest; newest first on a tie', () => {
    expect(defaultBoardPlan(plans, null)).toBe('seed');
    expect(
      defaultBoardPlan(
        [
          { id: 'older', importedAt: '2026-01-01T00:00:00Z', openAssignments: 5 },
          { id: 'newer', importedAt: '2026-02-01T00:00:00Z', openAssignments: 5 },
        ],
        null,
      ),
    ).toBe('newer');
    expect(defaultBoardPlan([], null)).toBeNull();
  });
});
