import { parentPort, workerData } from 'node:worker_threads';
import { PlanParseError } from './model';
import { parsePlanDocument } from './parse-plan';
import type { WorkerAnswer } from './parse-in-worker';

/** The worker side of parsePlanDocumentInWorker: parses the bytes it was started with and answers once. */
const { bytes } = workerData as { bytes: Uint8Array };
let answer: WorkerAnswer;
try {
  answer = { kind: 'parsed', plan: parsePlanDocument(bytes) };
} catch (error) {
  answer =
    error instanceof PlanParseError
      ? { kind: 'refused', line: error.line, message: error.message, sheet: error.sheet }
      : { kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort!.postMessage(answer);
