import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isoDurationMs } from './duration';
import { Policy, PolicyError, resolvePolicy, validatePolicy } from './policy';

const DEFAULTS = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../seeds/policy.default.json'), 'utf8'),
) as Policy;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('policy', () => {
  it('accepts the default policy in seeds/', () => {
    expect(validatePolicy(DEFAULTS)).toEqual(DEFAULTS);
  });

  it('lays a plan policy over the defaults (short durations for tests and demos)', () => {
    const policy = resolvePolicy(DEFAULTS, {
      assignment: { remindBefore: ['PT10S', 'PT5S'], acknowledgeWithin: 'PT30S' },
    });
    expect(policy.assignment.remindBefore).toEqual(['PT10S', 'PT5S']);
    expect(policy.assignment.acknowledgeWithin).toBe('PT30S');
    expect(policy.assignment.reviewWithin).toEqual({ workdays: 3 });
  });

  it.each([
    [{ assignment: { remindBefore: ['P7D', '-P3D'] } }, 'policy.assignment.remindBefore[1]: "-P3D" is negative'],
    [
      { call: { remindBefore: Array.from({ length: 1000 }, () => 'PT1H') } },
      'policy.call.remindBefore: at most 10 reminders',
    ],
    [
      { assignment: { acknowledgeWithin: { workdays: -2 } } },
      'policy.assignment.acknowledgeWithin: workdays must be a whole number of zero or more',
    ],
    [{ assignment: { remindBefor: ['P1D'] } }, 'policy.assignment.remindBefor: unknown field'],
    [{ colour: 'red' }, 'policy.colour: unknown field'],
    [
      { assessment: { weights: { taskOnTime: -5 } } },
      'policy.assessment.weights.taskOnTime: -5 must be a number from 0 to 100',
    ],
    [
      { assessment: { deductions: { perEscalation: { level2: '2' } } } },
      'policy.assessment.deductions.perEscalation.level2: "2" must be a number from 0 to 100',
    ],
    [
      { assessment: { weights: { taskOnTime: 0, callResponse: 0, callResolution: 0, satisfaction: 0 } } },
      'policy.assessment.weights: at least one must be above 0',
    ],
    [{ assessment: { weights: { speed: 10 } } }, 'policy.assessment.weights.speed: unknown field'],
    [
      {
        call: {
          escalateAfter: [
            { after: 'PT0S', level: 2 },
            { after: 'PT4H', level: 1 },
          ],
        },
      },
      'policy.call.escalateAfter[1].level: levels must climb in order (level 1 comes after level 2)',
    ],
    [
      { assignment: { escalateAfter: [{ after: 'PT0S', level: 4 }] } },
      'policy.assignment.escalateAfter[0].level: must be 1, 2 or 3',
    ],
    [
      { call: { urgent: { respondWithin: 'two hours' } } },
      'policy.call.urgent.respondWithin: "two hours" is not an ISO-8601 duration',
    ],
    [
      { call: { normal: { respondWithin: 'P1M' } } },
      'policy.call.normal.respondWithin: "P1M" is not an ISO-8601 duration',
    ],
    [{ call: { autoCloseAfter: 'soon' } }, 'policy.call.autoCloseAfter: "soon" is not an ISO-8601 duration'],
    [{ call: { remindBefore: 'PT1H' } }, 'policy.call.remindBefore: must be a list of durations'],
    [{ timezone: 'Mars/Olympus' }, 'policy.timezone: "Mars/Olympus" is not an IANA time zone'],
  ])('rejects %j naming the field', (override, expected) => {
    expect(problemsOf(() => resolvePolicy(DEFAULTS, override)).join('\n')).toContain(expected);
  });

  it('reports every problem at once', () => {
    expect(
      problemsOf(() => resolvePolicy(DEFAULTS, { assignment: { remindBefore: ['x'], reviewWithin: -1 } })),
    ).toHaveLength(2);
  });

  it.each([
    ['PT2S', 2000],
    ['PT4H', 4 * 3600 * 1000],
    ['P3D', 3 * 86400 * 1000],
    ['P1W', 7 * 86400 * 1000],
    ['P1DT1.5S', 86400 * 1000 + 1500],
    ['PT0S', 0],
  ])('reads the ISO-8601 duration %s', (text, ms) => {
    expect(isoDurationMs(text)).toBe(ms);
  });

  it.each(['P', 'PT', 'P1Y', 'P1M', '3D', 'PT-1S', ''])('refuses %j as a fixed duration', (text) => {
    expect(isoDurationMs(text)).toBeNull();
  });
});
