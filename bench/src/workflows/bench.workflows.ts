import { condition, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BenchActivities } from '../bench.activities';

/**
 * Bench-only workflows, bundled for the benchmark's own worker and task queue; never registered by the
 * production worker. They stand for "the bare Temporal part" of what the production workflows do.
 */

export const pokeSignal = defineSignal('poke');
export const pingUpdate = defineUpdate<number, [number]>('ping');
export const stopSignal = defineSignal('stop');

/** Start-to-result of a workflow that does nothing: the floor of any workflow round trip. */
export async function noopWorkflow(): Promise<number> {
  return 0;
}

/** Idle: waits for signals and answers updates from memory (no activity), until told to stop. */
export async function idleWorkflow(): Promise<number> {
  let pokes = 0;
  let stopped = false;
  setHandler(pokeSignal, () => void pokes++);
  setHandler(pingUpdate, (value: number) => value + pokes);
  setHandler(stopSignal, () => void (stopped = true));
  await condition(() => stopped);
  return pokes;
}

/**
 * Sleeps until `fireAtMs`; returns the workflow clock when the timer was armed and when it woke (fire lag =
 * wokeAt − fireAtMs). A timer armed after `fireAtMs` measured the start backlog, not the timer: the bench checks.
 */
export async function timerWorkflow(fireAtMs: number): Promise<{ armedAt: number; wokeAt: number }> {
  const armedAt = Date.now();
  await sleep(Math.max(1, fireAtMs - armedAt));
  return { armedAt, wokeAt: Date.now() };
}

const { recordRow } = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

/** A task-shaped workflow: one activity that commits one PostgreSQL row, then completes. */
export async function recordWorkflow(key: string): Promise<void> {
  await recordRow(key);
}
