import {
  ASSIGNMENT_STATUS_LABELS,
  assignmentStatusLabel,
  attachmentDisposition,
  CALL_STATUSES,
  callStatusLabel,
  EXPORT_MAX_ROWS,
  exportScope,
  lightLabel,
  STORED_TASK_STATUSES,
  taskStatusLabel,
} from './index';
import { AssignmentStatus } from './assignment-state';

describe('export labels and limits', () => {
  it('words every stored status and light in Chinese', () => {
    for (const status of Object.values(AssignmentStatus))
      expect(assignmentStatusLabel(status)).toMatch(/\p{Script=Han}/u);
    for (const status of CALL_STATUSES) expect(callStatusLabel(status)).toMatch(/\p{Script=Han}/u);
    for (const status of STORED_TASK_STATUSES) {
      expect(taskStatusLabel(status)).toMatch(/\p{Script=Han}/u);
    }
    expect(['green', 'yellow', 'red'].map(lightLabel)).toEqual(['正常', '预警', '逾期']);
    expect(Object.keys(ASSIGNMENT_STATUS_LABELS)).toHaveLength(Object.values(AssignmentStatus).length);
  });

  it('shows an unknown code as it is and nothing for none', () => {
    expect(lightLabel('blue')).toBe('blue');
    expect(lightLabel(null)).toBe('');
  });

  it('documents a limit above the bench size', () => {
    expect(EXPORT_MAX_ROWS).toBe(200_000);
  });

  it('encodes a Chinese file name as RFC 5987 UTF-8 with an ASCII fallback', () => {
    const header = attachmentDisposition('任务台账（2027）.xlsx', 'ledger.xlsx');
    expect(header).toBe(
      `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('任务台账（2027）.xlsx')}`,
    );
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('任务台账（2027）.xlsx');
    expect(attachmentDisposition('a', '台"x')).toContain('filename="__x"');
  });
});

describe('exportScope', () => {
  it('gives the supervision office, leaders and admins every unit', () => {
    for (const role of ['supervisor', 'leader', 'admin']) {
      expect(exportScope({ unitId: 'office', roles: [role] }, 'finance')).toEqual({ allowed: true, unitIds: null });
    }
  });

  it("limits a unit's staff or head to its own unit and the units merged into it", () => {
    const finance = { unitId: 'finance', roles: ['staff'], mergedUnitIds: ['old-finance'] };
    expect(exportScope(finance)).toEqual({ allowed: true, unitIds: ['finance', 'old-finance'] });
    expect(exportScope(finance, 'old-finance')).toEqual({ allowed: true, unitIds: ['finance', 'old-finance'] });
    expect(exportScope({ unitId: 'finance', roles: ['head'] }, 'water')).toMatchObject({ allowed: false });
  });
});
