/**
 * A policy duration: an ISO-8601 duration of fixed length (`PT2S`, `PT4H`, `P3D`, `P1W`) or a count of
 * working days (`{ "workdays": 2 }`), which only a working-day calendar can turn into an instant.
 */
export type Duration = string | { workdays: number };

/** Years and months have no fixed length, so they are refused rather than guessed. */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a fixed-length ISO-8601 duration, or null if the text is not one. */
export function isoDurationMs(text: string): number | null {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/** Why `value` is not a valid Duration, or null if it is one. */
export function durationProblem(value: unknown): string | null {
  if (typeof value === 'string') {
    if (value.startsWith('-')) return `"${value}" is negative; durations must be zero or more`;
    if (isoDurationMs(value) === null) {
      return `"${value}" is not an ISO-8601 duration of days, hours, minutes or seconds (e.g. "PT2H", "P3D")`;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== 'workdays')
      return 'a working-day duration is { "workdays": n } and nothing else';
    const workdays = (value as { workdays: unknown }).workdays;
    if (typeof workdays !== 'number' || !Number.isInteger(workdays) || workdays < 0) {
      return `workdays must be a whole number of zero or more, got ${JSON.stringify(workdays)}`;
    }
    return null;
  }
  return `${JSON.stringify(value)} is neither an ISO-8601 duration string nor { "workdays": n }`;
}
