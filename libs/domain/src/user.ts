export enum Role {
  /** Department or township staff: acknowledge, report, submit, raise calls. */
  Staff = 'staff',
  /** Unit head: everything staff can do, plus sign-off (approve / return) for lead units. */
  Head = 'head',
  /** Supervision office (督查室): imports plans, changes deadlines, handles escalations, closes tasks. */
  Supervisor = 'supervisor',
  /** County leader: receives level-3 escalations, reads dashboards. */
  Leader = 'leader',
  Admin = 'admin',
}

export const ROLES: readonly Role[] = Object.values(Role);

export interface User {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
}
