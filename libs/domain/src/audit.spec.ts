import { AUDIT_GENESIS_HASH, auditHashInput, canonicalJson } from './audit';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so stored jsonb hashes like the original', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });
});

describe('auditHashInput', () => {
  const event = {
    seq: 1,
    at: '2021-05-01T00:00:00.000Z',
    actorUserId: null,
    actorUnitId: 'supervision',
    action: 'plan.imported',
    subjectType: 'plan',
    subjectId: 'p1',
    workflowId: null,
    payload: { tasks: 16 },
    prevHash: AUDIT_GENESIS_HASH,
  };

  it('covers the previous hash and every field, and nothing else', () => {
    expect(auditHashInput(event)).toBe(
      `${AUDIT_GENESIS_HASH}{"action":"plan.imported","actorUnitId":"supervision","actorUserId":null,"at":"2021-05-01T00:00:00.000Z","payload":{"tasks":16},"seq":1,"subjectId":"p1","subjectType":"plan","workflowId":null}`,
    );
    expect(auditHashInput({ ...event, hash: 'x' } as typeof event)).toBe(auditHashInput(event));
    expect(auditHashInput({ ...event, payload: { tasks: 17 } })).not.toBe(auditHashInput(event));
  });
});
