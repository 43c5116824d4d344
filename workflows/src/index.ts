// Workflow definitions are registered from this module (the worker bundles it with workflowsPath).
// Only deterministic code may live under workflows/: the ESLint config forbids Node built-ins, TypeORM,
// Nest and the persistence library here.
export { assignmentWorkflow } from './assignment.workflow';
export { callWorkflow } from './call.workflow';
export { taskWorkflow } from './task.workflow';
export { deliveryWorkflow } from './delivery.workflow';
export { dailyDigestWorkflow } from './digest.workflow';
export { bulletinWorkflow } from './bulletin.workflow';
