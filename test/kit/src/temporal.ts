import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { CallWorkflowInput, callWorkflowId, raisedUpdate } from '@county/workflows';

/** The default call policy (seeds/policy.default.json's `call`), as a call workflow's start input carries it. */
export const defaultCallPolicy = (): CallWorkflowInput['policy'] =>
  (
    JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'seeds', 'policy.default.json'), 'utf8')) as {
      call: CallWorkflowInput['policy'];
    }
  ).call;

/**
 * Raises a call straight in Temporal, past the API's checks (a forged start: update-with-start of `raised` on a
 * new call workflow, refused if one of that id exists). The call's workflow validator is what must refuse it.
 */
export function raiseCallInTemporal(temporal: Client, taskQueue: string, input: CallWorkflowInput) {
  return temporal.workflow.executeUpdateWithStart(raisedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation('callWorkflow', {
      taskQueue,
      workflowId: callWorkflowId(input.callId),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
    }),
  });
}
