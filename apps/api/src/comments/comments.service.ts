import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  assignmentThread,
  callThread,
  CommentKind,
  CommentSubjectType,
  decideInstruction,
  decideMentions,
  decideThreadAccess,
  DomainError,
  ErrorCode,
  NotificationKind,
  taskThread,
  Thread,
  UnitKind,
  User,
} from '@county/domain';
import type { NotificationInput } from '@county/domain';
import {
  CallRepository,
  CommentRecord,
  CommentRepository,
  EscalationRepository,
  TaskRepository,
  UnitRepository,
  THREAD_KEY,
} from '@county/persistence';
import { pageOf, PageQuery, pageRequest } from '../common/pagination';
import { actorOf, requireAllowed } from '../assignments/assignments.service';
import { NewCommentRequest, NewInstructionRequest } from './comments.dto';

/** A thread's subject as the rules see it: who takes part, what to call it, and the task it belongs to. */
interface ThreadSubject {
  type: CommentSubjectType.Task | CommentSubjectType.Assignment | CommentSubjectType.Call;
  id: string;
  thread: Thread;
  title: string;
  taskId: string | null;
}

/**
 * Threads on tasks, assignments and calls, and the leaders' 批示. Who may read and write, whom a comment may name
 * and who writes a 批示 are the domain's rules (comments.ts); each write is one transaction of the comment, its
 * notifications and its audit event.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly tasks: TaskRepository,
    private readonly calls: CallRepository,
    private readonly escalations: EscalationRepository,
    private readonly units: UnitRepository,
  ) {}

  async list(
    user: User,
    type: ThreadSubject['type'],
    id: string,
    query: PageQuery,
  ): Promise<{ items: CommentRecord[]; nextCursor: string | null }> {
    const request = pageRequest(query, THREAD_KEY.length);
    const subject = await this.subject(type, id);
    requireAllowed(decideThreadAccess(actorOf(user), subject.thread));
    return pageOf(await this.comments.thread(type, subject.id, request));
  }

  async write(user: User, type: ThreadSubject['type'], id: string, request: NewCommentRequest): Promise<CommentRecord> {
    const subject = await this.subject(type, id);
    requireAllowed(decideThreadAccess(actorOf(user), subject.thread));
    const registry = await this.units.list();
    const nameOf = (unitId: string) => registry.find((unit) => unit.id === unitId)?.name ?? unitId;
    const offices = registry
      .filter((unit) => unit.kind === UnitKind.Supervision || unit.kind === UnitKind.Leadership)
      .map((unit) => unit.id);
    const mentioned = request.mentionedUnitIds ?? [];
    requireAllowed(decideMentions(mentioned, subject.thread, offices, nameOf));
    const body = request.body.trim();
    const author = `${user.displayName}（${nameOf(user.unitId)}）`;
    return this.comments.record(
      this.newComment(user, subject.type, subject.id, subject.taskId, CommentKind.Comment, body, mentioned),
      mentioned.map((unitId) =>
        this.notification(
          unitId,
          NotificationKind.CommentMention,
          subject,
          `${author}在「${subject.title}」中提到了贵单位`,
          body,
        ),
      ),
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: `${type}.commented`,
        subjectType: type,
        subjectId: subject.id,
        workflowId: null,
        payload: { bodySha256: sha256(body), mentionedUnitIds: mentioned, taskId: subject.taskId },
      },
    );
  }

  /** 批示 on a task: pinned on it and notified to every unit of the task. */
  async instructOnTask(user: User, taskId: string, request: NewInstructionRequest): Promise<CommentRecord> {
    requireAllowed(decideInstruction(actorOf(user)));
    const subject = await this.subject(CommentSubjectType.Task, taskId);
    return this.instruct(user, CommentSubjectType.Task, subject.id, subject, request.body.trim(), {});
  }

  /**
   * 批示 on an escalation: pinned on the escalation and on its task (an assignment's), and notified to every unit of
   * that task — or, for a call's escalation, which has no task, to the call's two units. A 挂牌督办 of the
   * escalation later carries it to the late unit (EscalationsService).
   */
  async instructOnEscalation(user: User, escalationId: string, request: NewInstructionRequest): Promise<CommentRecord> {
    requireAllowed(decideInstruction(actorOf(user)));
    const escalation = await this.escalations.find(escalationId);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${escalationId} 的督办事项。`);
    const subject =
      escalation.subjectType === 'call'
        ? await this.subject(CommentSubjectType.Call, escalation.subjectId)
        : await this.subject(CommentSubjectType.Task, escalation.taskId ?? '');
    return this.instruct(user, CommentSubjectType.Escalation, escalation.id, subject, request.body.trim(), {
      escalationId: escalation.id,
      level: escalation.level,
    });
  }

  private async instruct(
    user: User,
    type: CommentSubjectType.Task | CommentSubjectType.Escalation,
    id: string,
    pinnedOn: ThreadSubject,
    body: string,
    payload: Record<string, unknown>,
  ): Promise<CommentRecord> {
    const title = `县领导批示：${pinnedOn.title}`;
    return this.comments.record(
      this.newComment(user, type, id, pinnedOn.taskId, CommentKind.Instruction, body, []),
      pinnedOn.thread.unitIds.map((unitId) =>
        this.notification(unitId, NotificationKind.LeaderInstruction, pinnedOn, title, body),
      ),
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: `${pinnedOn.type}.instructed`,
        subjectType: pinnedOn.type,
        subjectId: pinnedOn.id,
        workflowId: null,
        payload: { ...payload, bodySha256: sha256(body), taskId: pinnedOn.taskId },
      },
    );
  }

  private newComment(
    user: User,
    subjectType: CommentSubjectType,
    subjectId: string,
    taskId: string | null,
    kind: CommentKind,
    body: string,
    mentionedUnitIds: string[],
  ) {
    return {
      subjectType,
      subjectId,
      taskId,
      kind,
      body,
      mentionedUnitIds,
      authorUserId: user.id,
      authorUnitId: user.unitId,
      authorName: user.displayName,
    };
  }

  private notification(
    recipientUnitId: string,
    kind: NotificationKind,
    subject: ThreadSubject,
    title: string,
    body: string,
  ): NotificationInput {
    return {
      recipientUnitId,
      recipientRole: null,
      kind,
      subjectType: subject.type,
      subjectId: subject.id,
      title,
      body,
    };
  }

  private async subject(type: ThreadSubject['type'], id: string): Promise<ThreadSubject> {
    if (type === CommentSubjectType.Task) {
      const task = await this.tasks.findWithAssignments(id);
      if (!task) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的任务。`);
      return { type, id: task.id, thread: taskThread(task, task.assignments), title: task.title, taskId: task.id };
    }
    if (type === CommentSubjectType.Assignment) {
      const context = await this.tasks.findAssignment(id);
      if (!context) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的单位任务。`);
      const { assignment, task } = context;
      return {
        type,
        id: assignment.id,
        thread: assignmentThread(assignment, task),
        title: task.title,
        taskId: task.id,
      };
    }
    const call = await this.calls.find(id);
    if (!call) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的呼叫。`);
    return { type, id: call.id, thread: callThread(call), title: call.subject, taskId: null };
  }
}

/**
 * The audit chain records a comment by its text's sha256, not the text: a task's timeline (which any user reads)
 * shows its assignments' events, and a thread is only its participants' to read. The chain still pins what was
 * said: a comment changed in the table no longer matches its event.
 */
function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
