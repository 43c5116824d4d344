import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decideUrge, DomainError, ErrorCode, isSupervisor, NotificationKind, User } from '@county/domain';
import { TaskRepository, UnitRepository, UrgeInput, UrgeRepository } from '@county/persistence';
import { actorOf } from '../assignments/assignments.service';
import { UrgeRequest, UrgeResponse } from './urges.dto';

/**
 * 催办: the supervision office (or a lead unit's head, for its task's other units) reminds units of their work, at
 * any time and as often as needed. A batch is all or nothing: every item is checked (decideUrge, the rule behind
 * allowedActions) before anything is written, then each gets its notification and audit event in one transaction.
 */
@Injectable()
export class UrgesService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly units: UnitRepository,
    private readonly urges: UrgeRepository,
  ) {}

  async urge(user: User, request: UrgeRequest): Promise<UrgeResponse> {
    const actor = actorOf(user);
    const from = isSupervisor(user) ? '督查室' : ((await this.units.findById(user.unitId))?.name ?? user.unitId);
    const batchId = randomUUID();
    const items: UrgeInput[] = [];
    for (const assignmentId of request.assignmentIds) {
      const context = await this.tasks.findAssignment(assignmentId);
      if (!context) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${assignmentId} 的单位任务。`);
      const { assignment, task } = context;
      const decision = decideUrge(actor, assignment, task);
      if (!decision.allowed) {
        const unit = (await this.units.findById(assignment.unitId))?.name ?? assignment.unitId;
        throw new DomainError(decision.code, `${unit}（任务 ${task.no}）：${decision.reason}`, { assignmentId });
      }
      items.push({
        assignmentId,
        notification: {
          recipientUnitId: assignment.unitId,
          recipientRole: null,
          kind: NotificationKind.Urge,
          subjectType: 'assignment',
          subjectId: assignmentId,
          title: `${from}催办：${task.title}`,
          body: request.text.trim(),
        },
        audit: {
          actorUserId: user.id,
          actorUnitId: user.unitId,
          action: 'assignment.urged',
          subjectType: 'assignment',
          subjectId: assignmentId,
          workflowId: null,
          payload: { text: request.text.trim(), taskId: task.id, unitId: assignment.unitId, batchId },
        },
      });
    }
    return { items: await this.urges.record(batchId, items) };
  }
}
