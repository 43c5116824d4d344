import { isOwnIdentity } from './healthcheck';

describe("the worker container's healthcheck", () => {
  it("recognises this container's worker by the SDK's default identity, whatever its pid", () => {
    const own = isOwnIdentity({ identity: undefined }, 'c0ffee123456');
    expect(own('1@c0ffee123456')).toBe(true);
    expect(own('4711@c0ffee123456')).toBe(true);
    // Another container's worker polls the same queue: it must not make this one look healthy.
    expect(own('1@deadbeef0000')).toBe(false);
    expect(own('1@xc0ffee123456')).toBe(false);
  });

  it('uses TEMPORAL_WORKER_IDENTITY exactly when one is set', () => {
    const own = isOwnIdentity({ identity: 'county-worker-a' }, 'c0ffee123456');
    expect(own('county-worker-a')).toBe(true);
    expect(own('1@c0ffee123456')).toBe(false);
  });
});
