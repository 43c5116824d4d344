import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolvePolicy, validatePolicy } from '@county/domain';
import { assessmentPolicySetting, assignmentPolicy, callPolicy, policyField } from './policy';

describe('the test kit’s policy builders', () => {
  it('writes seconds as ISO durations, levels 1–3 in order, and keeps strings and working days as given', () => {
    expect(assignmentPolicy({ remind: 3, ladder: [0, 'PT10M', { workdays: 30 }], cycle: 12 })).toEqual({
      assignment: {
        reportingCycle: 'PT12S',
        remindBefore: ['PT3S'],
        escalateAfter: [
          { after: 'PT0S', level: 1 },
          { after: 'PT10M', level: 2 },
          { after: { workdays: 30 }, level: 3 },
        ],
      },
    });
    expect(assignmentPolicy({ remind: [5, 2], ladder: [0, 2, 4] }).assignment).not.toHaveProperty('reportingCycle');
    expect(policyField({ a: 1 })).toEqual({ policy: '{"a":1}' });
  });

  it('builds what the domain accepts as a plan policy and as a call policy', () => {
    const defaults = validatePolicy(
      JSON.parse(readFileSync(path.resolve(__dirname, '../../../seeds/policy.default.json'), 'utf8')),
    );
    const plan = resolvePolicy(defaults, assignmentPolicy({ remind: 3, ladder: [0, 2, { workdays: 30 }], cycle: 12 }));
    expect(plan.assignment.remindBefore).toEqual(['PT3S']);
    const call = JSON.parse(callPolicy({ respond: 3, resolve: 3, ladder: [0, 2, 4], autoClose: 3, remind: 1 }));
    expect(resolvePolicy(defaults, { call }).call).toMatchObject({
      normal: { respondWithin: 'PT3S' },
      remindBefore: ['PT1S'],
      autoCloseAfter: 'PT3S',
    });
  });

  it('writes 考核 weights as the API reads ASSESSMENT_POLICY: laid over the defaults, a valid policy', () => {
    const defaults = validatePolicy(
      JSON.parse(readFileSync(path.resolve(__dirname, '../../../seeds/policy.default.json'), 'utf8')),
    );
    const setting = assessmentPolicySetting({ weights: { taskOnTime: 10 }, deductions: { perOverdue: 0 } });
    const resolved = resolvePolicy(defaults, { assessment: JSON.parse(setting.ASSESSMENT_POLICY!) });
    expect(resolved.assessment.weights).toEqual({ ...defaults.assessment.weights, taskOnTime: 10 });
    expect(resolved.assessment.deductions.perOverdue).toBe(0);
    expect(resolved.assessment.deductions.perEscalation).toEqual(defaults.assessment.deductions.perEscalation);
  });
});
