import { useState } from 'react';
import { errorMessage, fetchFile, saveFile } from './api';

/** The .xlsx exports the console offers (GET /exports/…), each with the Chinese name it is saved under by default. */
const EXPORTS = {
  ledger: { path: 'ledger.xlsx', label: '导出台账', fileName: '任务台账.xlsx' },
  ranking: { path: 'unit-ranking.xlsx', label: '导出排名', fileName: '单位排名.xlsx' },
  calls: { path: 'calls.xlsx', label: '导出呼应台账', fileName: '乡呼县应台账.xlsx' },
} as const;

export type ExportKind = keyof typeof EXPORTS;

/** The name the server gave the file (filename*, RFC 5987), or `fallback`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (!encoded) return fallback;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return fallback;
  }
}

/** Downloads one export with the session's token (413 over the row limit, 403 another unit's rows: their detail). */
async function download(kind: ExportKind, query: URLSearchParams): Promise<void> {
  const { path, fileName } = EXPORTS[kind];
  const search = query.toString();
  const response = await fetchFile(`/exports/${path}${search ? `?${search}` : ''}`, '导出失败');
  await saveFile(response, fileNameOf(response, fileName));
}

/**
 * 导出台账 / 导出排名 / 导出呼应台账 with the page's current filters (`filters[kind]`; an export left out of `kinds`
 * gets no button). The server decides whose rows a unit's staff get: their own unit's.
 */
export function ExportButtons({
  kinds,
  filters,
}: {
  kinds: readonly ExportKind[];
  filters: Partial<Record<ExportKind, Record<string, string | undefined>>>;
}) {
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (kind: ExportKind) => {
    setBusy(kind);
    setError(null);
    try {
      const query = new URLSearchParams(
        Object.entries(filters[kind] ?? {}).filter((entry): entry is [string, string] => Boolean(entry[1])),
      );
      await download(kind, query);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-buttons no-print">
      {kinds.map((kind) => (
        <button key={kind} type="button" disabled={busy !== null} onClick={() => void run(kind)}>
          {busy === kind ? '正在导出…' : EXPORTS[kind].label}
        </button>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
