import { parentPort, workerData } from 'node:worker_threads';
import { StaffFileError } from './model';
import { readStaffTable } from './read-table';
import type { StaffWorkerAnswer } from './read-in-worker';

/** The worker side of readStaffTableInWorker: reads the file it was started with and answers once. */
const { filename, bytes } = workerData as { filename: string; bytes: Uint8Array };
void readStaffTable(filename, bytes).then(
  (table) => parentPort!.postMessage({ kind: 'read', table } satisfies StaffWorkerAnswer),
  (error: unknown) =>
    parentPort!.postMessage(
      (error instanceof StaffFileError
        ? { kind: 'refused', message: error.message }
        : {
            kind: 'failed',
            message: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }) satisfies StaffWorkerAnswer,
    ),
);
