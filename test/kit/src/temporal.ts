import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { CallUrgency, UnitKind } from '@county/domain';
import { CallWorkflowInput, callWorkflowId, raisedUpdate } from '@county/workflows';

/** The default call policy (seeds/policy.default.json's `call`), as a call workflow's start input carries it. */
export const defaultCallPolicy = (): CallWorkflowInput['policy'] =>
  (
    JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'seeds', 'policy.default.json'), 'utf8')) as {
      call: CallWorkflowInput['policy'];
    }
  ).call;

/** A call's start input: the fields a test names, over a well-formed call from 城关镇 to 县司法局 (default policy). */
export type CallStart = Partial<CallWorkflowInput> & Pick<CallWorkflowInput, 'callId' | 'raisedBy'>;

/**
 * Raises a call straight in Temporal, past the API's checks (a forged start: update-with-start of `raised` on a
 * new call workflow, refused if one of that id exists). The call's workflow validator is what must refuse it.
 */
export function raiseCallInTemporal(temporal: Client, taskQueue: string, start: CallStart) {
  const input: CallWorkflowInput = {
    fromUnitId: 'chengguan',
    fromUnitKind: UnitKind.Township,
    toUnitId: 'justice',
    toUnitKind: UnitKind.CountyDepartment,
    subject: '村规民约合法性审核',
    description: '村规民约合法性审核',
    urgency: CallUrgency.Normal,
    relatedAssignmentId: null,
    policy: defaultCallPolicy(),
    ...start,
  };
  return temporal.workflow.executeUpdateWithStart(raisedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation('callWorkflow', {
      taskQueue,
      workflowId: callWorkflowId(input.callId),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
    }),
  });
}
