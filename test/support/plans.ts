/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { assignmentOf, importAndStart, ONE_TASK_LIST } from '@county/test-kit';
export type { ImportedAssignment, ImportedPlan } from '@county/test-kit';
