import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseSlots, WORKER_PARSE_LIMITS, WorkerParseLimits } from '../parse-in-worker';
import { StaffFileError, StaffTable } from './model';

/** What the worker (read-worker.ts) sends back: exactly one message. */
export type StaffWorkerAnswer =
  { kind: 'read'; table: StaffTable } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

const WORKER_FILE = path.join(__dirname, 'read-worker.js');

/**
 * readStaffTable in a worker thread, for servers — for the reason plan documents are parsed in one
 * (parse-in-worker.ts): an .xlsx within the limits may still unpack to 16 MB of XML built to be slow to read
 * (a 900 KB file takes exceljs about five seconds), which on the event loop would stall every other request.
 * One parse at a time, shared with the plan import; stopped after the same timeout.
 */
export async function readStaffTableInWorker(
  filename: string,
  bytes: Uint8Array,
  limits: WorkerParseLimits = WORKER_PARSE_LIMITS,
): Promise<StaffTable> {
  await parseSlots.acquire();
  try {
    return await runWorker(filename, bytes, limits);
  } finally {
    parseSlots.release();
  }
}

function runWorker(filename: string, bytes: Uint8Array, limits: WorkerParseLimits): Promise<StaffTable> {
  return new Promise<StaffTable>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { filename, bytes },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new StaffFileError(`读取该文件超过 ${limits.timeoutMs / 1000} 秒，已停止（不像是人员名单）`)),
        ),
      limits.timeoutMs,
    );
    worker.once('message', (answer: StaffWorkerAnswer) =>
      settle(() => {
        if (answer.kind === 'read') resolve(answer.table);
        else if (answer.kind === 'refused') reject(new StaffFileError(answer.message));
        else reject(new Error(`the staff list reader failed: ${answer.message}`));
      }),
    );
    worker.once('error', (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new StaffFileError(`读取该文件需要超过 ${limits.maxHeapMb} MB 内存，已停止`)
            : error,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the staff list reader stopped (exit code ${code}) without an answer`))),
    );
  });
}
