import { attachmentRefsProblem, ATTACHMENT_LIMITS, mayAttach, mayReadAttachment, safeFileName } from './attachment';
import { field, requestProblem } from './request-rules';

const ref = (overrides: Record<string, unknown> = {}) => ({
  id: '6f1c2b8e-1f7a-4c1e-9d5b-2a4e8c9f0b11',
  name: '整改方案.pdf',
  size: 1024,
  sha256: 'a'.repeat(64),
  contentType: 'application/pdf',
  ...overrides,
});

describe('attachment references (what a workflow accepts)', () => {
  it('accepts well-formed references', () => {
    expect(attachmentRefsProblem([ref(), ref({ id: '7f1c2b8e-1f7a-4c1e-9d5b-2a4e8c9f0b11' })], 10)).toBeNull();
  });

  it.each([
    [[ref({ id: 'not-a-uuid' })], '[0] id: must be a UUID'],
    [[ref({ sha256: 'A'.repeat(64) })], '[0] sha256: must be 64 lowercase hex digits'],
    [[ref({ size: 0 })], `[0] size: must be a whole number from 1 to ${ATTACHMENT_LIMITS.fileBytes}`],
    [[ref({ contentType: 'application/x-msdownload' })], '[0] contentType: must be one of'],
    [[ref({ bytes: 'AAAA' })], '[0] bytes: unknown field'],
    [[ref(), ref()], '[1] lists the same file twice'],
    [[ref({ name: '' })], `[0] name: must be 1–${ATTACHMENT_LIMITS.nameLength} characters`],
    ['x', 'must be a list'],
  ])('refuses %j', (value, problem) => {
    expect(attachmentRefsProblem(value, 10)).toContain(problem);
  });

  it('refuses more files, or more bytes together, than one action may carry', () => {
    expect(attachmentRefsProblem([ref(), ref({ id: '7f1c2b8e-1f7a-4c1e-9d5b-2a4e8c9f0b11' })], 1)).toBe(
      'must have at most 1 entries',
    );
    const big = (id: string) => ref({ id, size: ATTACHMENT_LIMITS.fileBytes });
    const three = [1, 2, 3].map((n) => big(`${n}f1c2b8e-1f7a-4c1e-9d5b-2a4e8c9f0b11`));
    expect(attachmentRefsProblem(three, 10)).toBe(`must total at most ${ATTACHMENT_LIMITS.bytesPerItem} bytes`);
  });

  it('is optional in a request shape, and checked when present', () => {
    const shape = { attachments: field.attachments() };
    expect(requestProblem({}, shape, Date.now())).toBeNull();
    expect(requestProblem({ attachments: [ref({ id: 'x' })] }, shape, Date.now())).toBe(
      'attachments: [0] id: must be a UUID',
    );
  });
});

describe('safeFileName', () => {
  it.each([
    ['关于印发实施方案的通知.pdf', '关于印发实施方案的通知.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['C:\\Windows\\win.ini', 'C__Windows_win.ini'],
    ['.hidden', 'hidden'],
    ['a\u0000b\u0007c\r\n.pdf', 'a_b_c__.pdf'],
    ['say "hi" <b>.pdf', 'say _hi_ _b_.pdf'],
    ['...', 'file'],
  ])('%j → %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });
});

describe('who reads and attaches a file', () => {
  const facts = { uploaderUnitId: 'finance', readerUnitIds: ['finance', 'approval'] };
  it('the uploader, the item’s units, the supervision office and the leadership read it; another unit does not', () => {
    expect(mayReadAttachment({ unitId: 'finance', roles: ['staff'] }, facts)).toBe(true);
    expect(mayReadAttachment({ unitId: 'approval', roles: ['head'] }, facts)).toBe(true);
    expect(mayReadAttachment({ unitId: 'supervision', roles: ['supervisor'] }, facts)).toBe(true);
    expect(mayReadAttachment({ unitId: 'leadership', roles: ['leader'] }, facts)).toBe(true);
    expect(mayReadAttachment({ unitId: 'civil-affairs', roles: ['head'] }, facts)).toBe(false);
    expect(mayReadAttachment({ unitId: 'admin', roles: ['admin'] }, facts)).toBe(false);
    // 机构改革: the unit that absorbed the uploader reads its files.
    expect(mayReadAttachment({ unitId: 'treasury', mergedUnitIds: ['finance'], roles: ['staff'] }, facts)).toBe(true);
  });

  it('only the unit that uploaded a file attaches it', () => {
    expect(mayAttach({ unitId: 'finance' }, 'finance')).toBe(true);
    expect(mayAttach({ unitId: 'treasury', mergedUnitIds: ['finance'] }, 'finance')).toBe(true);
    expect(mayAttach({ unitId: 'civil-affairs' }, 'finance')).toBe(false);
  });
});
