/** Nearest-rank percentile of already measured values (milliseconds or anything else). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarize(values: number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length),
  };
}

/** Runs `operation` `n` times one after another and returns each duration in milliseconds. */
export async function timeSequential(n: number, operation: (index: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < n; index++) {
    const started = performance.now();
    await operation(index);
    durations.push(performance.now() - started);
  }
  return durations;
}

/** Runs `items` through `operation` with at most `concurrency` in flight. */
export async function inParallel<T>(items: T[], concurrency: number, operation: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await operation(items[next++]);
    }),
  );
}

export interface Row {
  figure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  note?: string;
}

const format = (value: number) =>
  !Number.isFinite(value)
    ? String(value)
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toFixed(value >= 10 ? 1 : 2);

/** A Markdown table (it reads fine in a terminal and pastes into BENCHMARKS.md as it is). */
export function table(rows: Row[]): string {
  const cells = [
    ['figure', 'value', 'unit', 'baseline', 'baseline value', 'ratio'],
    ['---', '---:', '---', '---', '---:', '---:'],
    ...rows.map((row) => [
      row.figure,
      format(row.value),
      row.unit,
      row.baseline?.name ?? '—',
      row.baseline ? format(row.baseline.value) : '—',
      row.baseline ? `${(row.value / row.baseline.value).toFixed(2)}×` : '—',
    ]),
  ];
  return cells.map((line) => `| ${line.join(' | ')} |`).join('\n');
}

/** A target of issue 19 for one figure: on its ratio to the baseline, or on its value. */
export interface Target {
  text: string;
  on: 'ratio' | 'value';
  op: '<=' | '>=' | '<';
  limit: number;
}

export function meets(row: Row & { target?: Target }): boolean | undefined {
  const target = row.target;
  if (!target) return undefined;
  const measured = target.on === 'value' ? row.value : row.baseline ? row.value / row.baseline.value : Number.NaN;
  if (!Number.isFinite(measured)) return undefined;
  return target.op === '<='
    ? measured <= target.limit
    : target.op === '>='
      ? measured >= target.limit
      : measured < target.limit;
}

export type TargetRow = Row & { target?: Target };

/**
 * One table for several servers: a row per figure, per server its value, its baseline measured in the same
 * pass and the ratio, then the target with ✓/✗ per server. Figures are matched by their text.
 */
export function serverTable(passes: Array<{ name: string; rows: TargetRow[] }>): string {
  const figures: string[] = [];
  for (const pass of passes) for (const row of pass.rows) if (!figures.includes(row.figure)) figures.push(row.figure);
  const head = ['figure', 'unit', 'baseline'];
  const align = ['---', '---', '---'];
  for (const pass of passes) {
    head.push(`${pass.name}`, `${pass.name}: baseline`, `${pass.name}: ratio`);
    align.push('---:', '---:', '---:');
  }
  head.push('target');
  align.push('---');
  const lines = [head, align];
  for (const figure of figures) {
    const found = passes.map((pass) => pass.rows.find((row) => row.figure === figure));
    const any = found.find((row) => row !== undefined)!;
    const line = [figure, any.unit, any.baseline?.name ?? '—'];
    for (const row of found) {
      if (!row) {
        line.push('—', '—', '—');
        continue;
      }
      const met = meets(row);
      const mark = met === undefined ? '' : met ? ' ✓' : ' ✗';
      line.push(
        format(row.value) + (row.target?.on === 'value' ? mark : ''),
        row.baseline ? format(row.baseline.value) : '—',
        row.baseline ? `${(row.value / row.baseline.value).toFixed(2)}×${row.target?.on === 'ratio' ? mark : ''}` : '—',
      );
    }
    line.push(any.target?.text ?? '');
    lines.push(line);
  }
  return lines.map((line) => `| ${line.join(' | ')} |`).join('\n');
}
