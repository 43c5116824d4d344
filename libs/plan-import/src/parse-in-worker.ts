import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ParsedPlan, PlanParseError } from './model';

/** What the worker (parse-worker.ts) sends back: exactly one message. */
export type WorkerAnswer =
  | { kind: 'parsed'; plan: ParsedPlan }
  | { kind: 'refused'; line: number | null; message: string; sheet?: string }
  | { kind: 'failed'; message: string };

export interface WorkerParseLimits {
  /** A parse still running after this long is stopped and the document refused. */
  timeoutMs: number;
  /** The worker's heap (a backstop, see WORKER_PARSE_LIMITS). */
  maxHeapMb: number;
}

/**
 * The 16-task seed parses in milliseconds; the costliest document the size cap admits (32 MB of XML built
 * to be slow to read) in about three seconds, with a heap of at most about 150 MB — the XML as a string
 * is twice its size, and the reader keeps nothing but the task table. So the timeout is generous, and the
 * heap limit is only a backstop against a bug, set far above what any accepted document needs: when a
 * worker does reach its limit, Node may abort the whole process rather than the worker alone
 * (nodejs/node#47224), so the limit must never be what stops a hostile document; the size cap is.
 */
export const WORKER_PARSE_LIMITS: WorkerParseLimits = { timeoutMs: 15_000, maxHeapMb: 512 };

/**
 * One parse at a time: the API runs on two-core machines, and a parse keeps a core busy, so this always
 * leaves one to the event loop. Imports are rare; a second one waits its turn.
 */
const MAX_PARALLEL_PARSES = 1;

const WORKER_FILE = path.join(__dirname, 'parse-worker.js');

/**
 * parsePlanDocument, run in a worker thread, for servers. A document is untrusted input whose parse costs
 * CPU in proportion to what it unpacks to: a .docx of a few hundred kilobytes may hold 32 MB of XML, and
 * reading that on the event loop would stall every other request (health checks included) for seconds.
 *
 * Why a worker rather than zlib's asynchronous inflate on the libuv threadpool: the inflate is only half
 * the work. Decoding and tokenising the unpacked XML is JavaScript and would still run on the event loop;
 * in a worker all of it runs beside the event loop, and a worker can be stopped, so a document that is
 * slow to read on purpose costs one refused request, not the server's attention. One worker per parse:
 * starting one costs tens of milliseconds, which an import can afford, and a fresh heap means nothing
 * from one upload lingers into the next.
 */
export async function parsePlanDocumentInWorker(
  bytes: Uint8Array,
  limits: WorkerParseLimits = WORKER_PARSE_LIMITS,
): Promise<ParsedPlan> {
  await parseSlots.acquire();
  try {
    return await runWorker(bytes, limits);
  } finally {
    parseSlots.release();
  }
}

function runWorker(bytes: Uint8Array, limits: WorkerParseLimits): Promise<ParsedPlan> {
  return new Promise<ParsedPlan>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { bytes },
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
          reject(new PlanParseError(null, `读取该文件超过 ${limits.timeoutMs / 1000} 秒，已停止（不像是任务清单）`)),
        ),
      limits.timeoutMs,
    );
    worker.once('message', (answer: WorkerAnswer) =>
      settle(() => {
        if (answer.kind === 'parsed') resolve(answer.plan);
        else if (answer.kind === 'refused') reject(new PlanParseError(answer.line, answer.message, answer.sheet));
        else reject(new Error(`the plan parser failed: ${answer.message}`));
      }),
    );
    worker.once('error', (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new PlanParseError(null, `读取该文件需要超过 ${limits.maxHeapMb} MB 内存，已停止`)
            : error,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the plan parser stopped (exit code ${code}) without an answer`))),
    );
  });
}

/** A counting semaphore: waiters are served in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** Shared with the staff import (staff/read-in-worker.ts): one document parse at a time, whatever the kind. */
export const parseSlots = new Slots(MAX_PARALLEL_PARSES);
