/** The console's wording of API refusals (apps/web/src/problem-messages.ts); the console itself has no test runner. */
import { loadWebModule } from './support/web-module';

/** The module's exports, as this spec calls them (the console's own types stay in its ES-module package). */
interface ProblemMessages {
  problemMessage(problem: { status: number; code?: string; detail?: string; [field: string]: unknown }): string;
  readsAsChinese(text: string): boolean;
}
const { problemMessage, readsAsChinese } = loadWebModule<ProblemMessages>('problem-messages.ts');

describe('problemMessage: what a refusal says to a person', () => {
  it('shows a detail that is already Chinese as it is', () => {
    expect(problemMessage({ status: 409, code: 'CONFLICT', detail: '该委派已结束。' })).toBe('该委派已结束。');
  });

  it('words an English detail by its code', () => {
    expect(
      problemMessage({
        status: 429,
        code: 'TOO_MANY_REQUESTS',
        detail: 'Too many failed logins; wait a minute and try again.',
      }),
    ).toBe('操作过于频繁，请稍等一分钟后再试。');
    expect(problemMessage({ status: 429, code: 'TOO_MANY_REQUESTS', detail: 'x', retryAfterSeconds: 125 })).toBe(
      '操作过于频繁，请 3 分钟后再试。',
    );
    expect(
      problemMessage({ status: 409, code: 'CONFLICT', detail: 'Cannot submit an assignment that is approved.' }),
    ).toContain('当前状态不允许此操作');
  });

  it('names the fields of a form that is not valid in Chinese, by the rules they broke', () => {
    const message = problemMessage({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'reason: reason must be longer than or equal to 1 characters',
      errors: [
        { field: 'reason', problems: ['reason must contain text, not only white space'], rules: ['hasText'] },
        { field: 'requestedDueAt', problems: ['requestedDueAt must lie in the future'], rules: ['newDeadline'] },
      ],
    });
    expect(message).toBe('理由不能为空；申请的新时限应为将来的日期（且在允许的年限内）。');
  });

  it('prefers a Chinese problem over the rule, without the property name in front', () => {
    const message = problemMessage({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'x',
      errors: [{ field: 'note', problems: ['note 不能超过 2000 字'], rules: ['maxLength'] }],
    });
    expect(message).toBe('说明：不能超过 2000 字。');
  });

  it('still says which field a domain refusal is about, and where an importer refusal is', () => {
    expect(problemMessage({ status: 400, code: 'VALIDATION_FAILED', detail: 'dueAt: must lie in the future' })).toBe(
      '完成时限不符合要求，请检查后重试。',
    );
    expect(problemMessage({ status: 400, code: 'VALIDATION_FAILED', detail: 'dueAt: 须晚于现在' })).toBe(
      '完成时限：须晚于现在',
    );
    expect(
      problemMessage({
        status: 422,
        code: 'INVALID_DOCUMENT',
        detail: 'line 2: text outside any table cell',
        line: 2,
      }),
    ).toBe('该文件无法导入：第 2 行不符合任务清单的格式。');
  });

  it('has words for no answer at all and for answers without a code', () => {
    expect(problemMessage({ status: 0 })).toBe('无法连接服务器，请检查网络后重试。');
    expect(problemMessage({ status: 502, detail: '<html>Bad Gateway</html>' })).toContain('HTTP 502');
  });

  it('treats a Chinese text with an English sentence in it as English', () => {
    expect(readsAsChinese('用户名 "approval.head" 已存在')).toBe(true);
    expect(readsAsChinese('该文件 was already imported as plan')).toBe(false);
    expect(readsAsChinese('plain English only')).toBe(false);
  });
});
