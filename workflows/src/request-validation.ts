import { ApplicationFailure } from '@temporalio/workflow';
import { ErrorCode, requestProblem, RequestShape } from '@county/domain';

/**
 * The first thing every update validator does: refuse a request that does not have the update's shape, or
 * that carries text the projection could not store. A refused update leaves no event in the history, so a
 * forged update sent straight to Temporal can neither change the process nor wedge its projection.
 */
export function refuseInvalidRequest(request: unknown, shape: RequestShape): void {
  const problem = requestProblem(request, shape, Date.now());
  if (problem) throw ApplicationFailure.nonRetryable(problem, ErrorCode.ValidationFailed);
}
