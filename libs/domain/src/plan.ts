import { DeadlineKind } from './deadline-text';

export enum AssignmentRole {
  /** 牵头单位: coordinates, signs off the responsible units' reports, consolidates. */
  Lead = 'lead',
  /** 责任单位: does its part and reports. */
  Responsible = 'responsible',
}

export interface PlanSummary {
  id: string;
  title: string;
  sourceSha256: string;
  sourceFormat: 'txt' | 'docx' | 'xlsx';
  sourceFilename: string;
  importedAt: string;
  importedBy: string;
  taskCount: number;
}

export interface TaskRecord {
  id: string;
  planId: string;
  no: number;
  title: string;
  measures: string[];
  goals: string[];
  leadUnitIds: string[];
  allTownships: boolean;
  relatedDepartments: boolean;
  deadline: { text: string; date: string | null; kind: DeadlineKind; dueAt: string | null };
  status: string;
  light: string;
}

export interface AssignmentRecord {
  id: string;
  taskId: string;
  unitId: string;
  role: AssignmentRole;
  status: string;
  dueAt: string | null;
  escalationLevel: number;
  /** green on track, yellow warned (last reminder window, late acknowledgement, returned), red overdue (DESIGN §4). */
  light: string;
  /** 转办: the assignment this one took over from (null for the task's original units and added ones). */
  reassignedFromId: string | null;
}
