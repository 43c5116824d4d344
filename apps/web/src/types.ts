/** The API's answers, as far as the console reads them (see /api/docs/openapi.json). */

export type Light = 'green' | 'yellow' | 'red' | string;

export type AssignmentAction =
  'acknowledge' | 'progress' | 'submit' | 'requestExtension' | 'approve' | 'return' | 'reassign';
export type TaskAction = 'consolidate' | 'close' | 'return' | 'changeDeadline' | 'addUnit' | 'cancel';
export type CallAction = 'respond' | 'resolve' | 'evaluate';
export type EscalationAction = 'remind' | 'reassign' | 'extend';
export type ExtensionAction = 'approve' | 'reject';

export interface InboxItem {
  kind: 'work' | 'review' | 'consolidate' | 'verify';
  taskId: string;
  taskNo: number;
  taskTitle: string;
  assignmentId: string | null;
  unitId: string | null;
  status: string;
  light: Light;
  dueAt: string | null;
  /** For the row's assignment (empty on a task row). */
  allowedActions: AssignmentAction[];
  /** For the row's task: what a task row (汇总, 销号) offers. */
  taskActions: TaskAction[];
}

export interface CallInboxItem {
  kind: 'respond' | 'resolve' | 'evaluate';
  callId: string;
  subject: string;
  urgency: string;
  fromUnitId: string;
  toUnitId: string;
  status: string;
  light: Light;
  dueAt: string | null;
  allowedActions: CallAction[];
}

export interface Inbox {
  items: InboxItem[];
  calls: CallInboxItem[];
}

/** A task as GET /plans/:id lists it (no allowedActions there; GET /tasks has them). */
export interface TaskRecord {
  id: string;
  planId: string;
  no: number;
  title: string;
  measures: string[];
  goals: string[];
  leadUnitIds: string[];
  deadline: { text: string; date: string | null; kind: string; dueAt: string | null };
  status: string;
  light: Light;
}

export interface Task extends TaskRecord {
  allowedActions: TaskAction[];
}

export interface AssignmentRecord {
  id: string;
  taskId: string;
  unitId: string;
  role: 'lead' | 'responsible';
  status: string;
  dueAt: string | null;
  escalationLevel: number;
  light: Light;
  reassignedFromId: string | null;
}

export interface Assignment extends AssignmentRecord {
  allowedActions: AssignmentAction[];
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

export interface Escalation {
  id: string;
  subjectType: string;
  subjectId: string;
  level: number;
  reason: string;
  targetUnitId: string;
  createdAt: string;
  handledAt: string | null;
  action: string | null;
  unitId: string | null;
  taskId: string | null;
  allowedActions: EscalationAction[];
}

export interface TaskDetail extends Task {
  assignments: Assignment[];
  timeline: AuditEvent[];
  escalations: Escalation[];
}

export interface Plan {
  id: string;
  title: string;
  importedAt: string;
}

export interface PlanWithTasks extends Plan {
  tasks: Array<TaskRecord & { assignments: AssignmentRecord[] }>;
}

export interface Call {
  id: string;
  fromUnitId: string;
  toUnitId: string;
  subject: string;
  description: string;
  urgency: string;
  status: string;
  raisedAt: string;
  respondBy: string | null;
  respondedAt: string | null;
  responseNote: string | null;
  resolveBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  rating: string | null;
  reworkCount: number;
  escalationLevel: number;
  light: Light;
  flagged: boolean;
  allowedActions: CallAction[];
}

export interface ExtensionRequest {
  id: string;
  assignmentId: string;
  requestedDueAt: string;
  reason: string;
  status: string;
  createdAt: string;
  unitId: string;
  taskId: string;
  taskNo: number;
  taskTitle: string;
  currentDueAt: string | null;
  allowedActions: ExtensionAction[];
}

export interface CountsBy {
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  total: number;
}

export interface AssignmentUnitMetrics {
  rank: number;
  unitId: string;
  unitName: string;
  total: number;
  approved: number;
  approvedOnTime: number;
  overdue: number;
  onTimeRate: number | null;
  open: { green: number; yellow: number; red: number };
}

export interface CallUnitMetrics {
  rank: number;
  unitId: string;
  unitName: string;
  received: number;
  responded: number;
  responseRate: number;
  onTimeResponseRate: number;
  resolutionRate: number;
  onTimeResolutionRate: number;
  satisfactionRate: number | null;
  reworkCount: number;
  averageResponseSeconds: number | null;
}

export interface Dashboard {
  tasks: CountsBy;
  assignments: CountsBy & { units: AssignmentUnitMetrics[] };
  calls: CountsBy & {
    units: CallUnitMetrics[];
    townships: Array<{ unitId: string; unitName: string; raised: number }>;
  };
}
