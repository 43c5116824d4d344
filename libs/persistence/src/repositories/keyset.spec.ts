import { DomainError, ErrorCode } from '@county/domain';
import { keyedPage, KeyColumn, keysetAfter } from './keyset';

const MIXED: KeyColumn[] = [
  { sql: 'raised_at', kind: 'timestamp', descending: true },
  { sql: 'id', kind: 'uuid' },
];
const SAME: KeyColumn[] = [
  { sql: 'plan_id', kind: 'uuid' },
  { sql: 'no', kind: 'integer' },
];
const ID = '6f1c1f0e-2b7a-4c1e-9a55-0c3f7a1d2b3c';

function refused(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof DomainError ? error.code : `threw ${String(error)}`;
  }
}

describe('keysetAfter', () => {
  it('is TRUE without a key and binds nothing', () => {
    const params: unknown[] = ['x'];
    expect(keysetAfter(MIXED, undefined, params)).toBe('TRUE');
    expect(params).toEqual(['x']);
  });

  it('compares one row value when every column sorts the same way, after the params already bound', () => {
    const params: unknown[] = ['filter'];
    expect(keysetAfter(SAME, [ID, 7], params)).toBe('(plan_id, no) > ($2::uuid, $3::bigint)');
    expect(params).toEqual(['filter', ID, '7']);
  });

  it('expands mixed directions, led by a range on the first column', () => {
    const params: unknown[] = [];
    expect(keysetAfter(MIXED, ['2030-02-01T08:00:00.123456', ID], params)).toBe(
      "(raised_at <= ($1::timestamp AT TIME ZONE 'UTC') AND ((raised_at < ($1::timestamp AT TIME ZONE 'UTC')) OR " +
        "(raised_at = ($1::timestamp AT TIME ZONE 'UTC') AND id > $2::uuid)))",
    );
  });

  it('refuses a key of the wrong length or with a value its column cannot hold (400, before any SQL)', () => {
    const cases: unknown[] = [null, 'x', [ID], [ID, 1, 2], ['not-a-uuid', 1], [ID, 1.5], [ID, 2 ** 60], [ID, '7']];
    expect(cases.map((after) => refused(() => keysetAfter(SAME, after as unknown[], [])))).toEqual(
      cases.map(() => ErrorCode.ValidationFailed),
    );
    const times = ['2030-02-01', '2030-02-30T08:00:00.000000', '2030-02-01T25:00:00.000000', 'x', 17];
    expect(times.map((time) => refused(() => keysetAfter(MIXED, [time, ID], [])))).toEqual(
      times.map(() => ErrorCode.ValidationFailed),
    );
  });
});

describe('keyedPage', () => {
  it('keeps limit rows and gives the last one’s key only when the extra row shows a next page', () => {
    const rows = [1, 2, 3];
    expect(keyedPage(rows, 2, (row) => [row], String)).toEqual({ items: ['1', '2'], nextKey: [2] });
    expect(keyedPage(rows, 3, (row) => [row], String)).toEqual({ items: ['1', '2', '3'], nextKey: null });
  });
});
