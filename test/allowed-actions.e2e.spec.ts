import { ONE_TASK_LIST_USERS, useStack, waitFor } from '@county/test-kit';

interface Item {
  id: string;
  unitId: string;
  status: string;
  allowedActions: string[];
}
interface TaskDetail extends Item {
  assignments: Item[];
}

/**
 * The server says what the user may do (issue 13): allowedActions come from the same domain decisions as
 * the guards, so two people of the same unit with different roles see different actions, and a unit whose
 * work moved away (转办) sees none.
 */
describe('allowedActions on the items the API returns', () => {
  const stack = useStack({ worker: true, users: [...ONE_TASK_LIST_USERS, 'civil-affairs.head'], plan: {} });

  const get = async <T>(who: string, path: string) => {
    const response = await stack.as<T>(who, 'GET', path);
    expect(response.status).toBe(200);
    return response.body;
  };
  const post = (who: string, path: string, body: unknown) => stack.as(who, 'POST', path, body);
  const assignment = (unitId: string) => stack.assignmentOf(unitId);
  const actionsOn = async (who: string, assignmentId: string) =>
    (await get<{ assignment: Item }>(who, `/assignments/${assignmentId}`)).assignment.allowedActions;
  const taskAs = (who: string) => get<TaskDetail>(who, `/tasks/${stack.plan.tasks[0].id}`);

  it("offers the assigned unit's people the work, and the supervision office the task's changes", async () => {
    const civil = assignment('civil-affairs').id;
    expect(await actionsOn('civil-affairs.staff', civil)).toEqual(['acknowledge', 'requestExtension', 'setHandler']);
    expect(await actionsOn('civil-affairs.head', civil)).toEqual(['acknowledge', 'requestExtension', 'setHandler']);
    // 催办: the lead unit's head may urge the task's other units; the supervision office any unit.
    expect(await actionsOn('approval.head', civil)).toEqual(['urge']);
    expect(await actionsOn('supervisor', civil)).toEqual(['reassign', 'urge']);
    const list = await get<{ items: Item[] }>('supervisor', `/tasks?planId=${stack.plan.id}`);
    expect(list.items[0].allowedActions).toEqual(['changeDeadline', 'addUnit', 'removeUnit', 'edit', 'cancel']);
    const inbox = await get<{ items: Array<{ assignmentId: string; allowedActions: string[] }> }>(
      'civil-affairs.staff',
      '/inbox?limit=500',
    );
    expect(inbox.items.find((item) => item.assignmentId === civil)?.allowedActions).toEqual([
      'acknowledge',
      'requestExtension',
      'setHandler',
    ]);
  });

  it('stops offering an extension request while one waits for a decision, as the guard refuses a second', async () => {
    const finance = assignment('finance').id;
    expect(await actionsOn('finance.staff', finance)).toEqual(['acknowledge', 'requestExtension', 'setHandler']);
    const body = { requestedDueAt: '2027-07-31T23:59:59+08:00', reason: '需等待上级文件下发' };
    expect((await post('finance.staff', `/assignments/${finance}/extension-requests`, body)).status).toBe(201);
    expect(await actionsOn('finance.staff', finance)).toEqual(['acknowledge', 'setHandler']);
    expect((await post('finance.staff', `/assignments/${finance}/extension-requests`, body)).status).toBe(409);
    const pending = await get<{ items: Array<{ assignmentId: string; allowedActions: string[] }> }>(
      'supervisor',
      '/extension-requests',
    );
    expect(pending.items.find((item) => item.assignmentId === finance)?.allowedActions).toEqual(['approve', 'reject']);
  });

  it('gives the head and the staff member of a lead unit different actions, and the guards agree', async () => {
    const civil = assignment('civil-affairs').id;
    expect((await post('civil-affairs.staff', `/assignments/${civil}/acknowledge`, {})).status).toBe(200);
    expect(await actionsOn('civil-affairs.staff', civil)).toEqual([
      'progress',
      'submit',
      'requestExtension',
      'setHandler',
    ]);
    const submitted = await post('civil-affairs.staff', `/assignments/${civil}/submit`, {
      summary: '已完成代办清单',
      evidence: [],
    });
    expect(submitted.status).toBe(200);
    await waitFor(
      'the submitted report in the read model',
      async () => (await actionsOn('approval.head', civil)).length > 0,
      10_000,
    );

    const asHead = await taskAs('approval.head');
    const asStaff = await taskAs('approval.staff');
    expect(asHead.assignments.find((item) => item.id === civil)?.allowedActions).toEqual(['approve', 'return', 'urge']);
    expect(asStaff.assignments.find((item) => item.id === civil)?.allowedActions).toEqual([]);
    expect(asHead.allowedActions).toEqual(['addUnit']);
    expect(asStaff.allowedActions).toEqual([]);
    // What is not offered is refused: the staff member's approval is forbidden (and changes nothing).
    expect((await post('approval.staff', `/assignments/${civil}/approve`, {})).status).toBe(403);
    // 撤回 is offered to the reporting unit while its report waits, never to the lead unit.
    expect(await actionsOn('civil-affairs.staff', civil)).toEqual(['withdraw', 'requestExtension', 'setHandler']);
    expect(await actionsOn('approval.head', civil)).not.toContain('withdraw');
  });

  it('offers 撤回 exactly while the report waits for review, and the guard agrees', async () => {
    const finance = assignment('finance').id;
    expect((await post('finance.staff', `/assignments/${finance}/acknowledge`, {})).status).toBe(200);
    expect(await actionsOn('finance.staff', finance)).not.toContain('withdraw');
    expect((await post('finance.staff', `/assignments/${finance}/withdraw`, { reason: '撤回' })).status).toBe(409);
    const report = { summary: '已完成', evidence: [] };
    expect((await post('finance.staff', `/assignments/${finance}/submit`, report)).status).toBe(200);
    expect(await actionsOn('finance.staff', finance)).toContain('withdraw');
    expect((await post('finance.staff', `/assignments/${finance}/withdraw`, { reason: '补充材料' })).status).toBe(200);
    // Back in the unit's hands (an earlier test left its extension request pending, so none is offered).
    expect(await actionsOn('finance.staff', finance)).toEqual(['progress', 'submit', 'setHandler']);
  });

  it('gives a reassigned unit nothing to do on its old assignment', async () => {
    const civil = assignment('civil-affairs').id;
    const moved = await post('supervisor', `/assignments/${civil}/reassign`, {
      toUnitId: 'health',
      reason: '职能调整',
    });
    expect(moved.status).toBe(200);
    await waitFor(
      'the reassigned record',
      async () => (await taskAs('supervisor')).assignments.find((item) => item.id === civil)?.status === 'reassigned',
      10_000,
    );
    for (const who of ['civil-affairs.staff', 'civil-affairs.head', 'approval.head', 'supervisor']) {
      expect({ who, actions: await actionsOn(who, civil) }).toEqual({ who, actions: [] });
    }
    // And what is not offered is refused: asking for an extension of the reassigned work is a conflict.
    const asked = await post('civil-affairs.staff', `/assignments/${civil}/extension-requests`, {
      requestedDueAt: '2027-07-31T23:59:59+08:00',
      reason: '需等待上级文件下发',
    });
    expect(asked.status).toBe(409);
  });
});
