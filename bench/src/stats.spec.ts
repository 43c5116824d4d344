import { percentile, summarize, table } from './stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index); // 100 … 1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes without reordering the caller’s array', () => {
    const values = [3, 1, 2];
    expect(summarize(values)).toEqual({ n: 3, p50: 2, p95: 3, p99: 3, mean: 2 });
    expect(values).toEqual([3, 1, 2]);
  });

  it('prints each figure with its baseline and the ratio', () => {
    const printed = table([
      { figure: 'approve p50', value: 30, unit: 'ms', baseline: { name: 'update p50', value: 12 } },
      { figure: 'insert p50', value: 0.5, unit: 'ms' },
    ]);
    expect(printed.split('\n')).toEqual([
      '| figure | value | unit | baseline | baseline value | ratio |',
      '| --- | ---: | --- | --- | ---: | ---: |',
      '| approve p50 | 30.0 | ms | update p50 | 12.0 | 2.50× |',
      '| insert p50 | 0.50 | ms | — | — | — |',
    ]);
  });
});
