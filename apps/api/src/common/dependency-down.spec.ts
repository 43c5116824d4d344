import { isDependencyDown } from './dependency-down';

describe('isDependencyDown', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['PostgreSQL shutting down', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a connection exception (SQLSTATE class 08)', Object.assign(new Error('connection failure'), { code: '08006' })],
    [
      "TypeORM's wrapper around a reset socket",
      Object.assign(new Error('read ECONNRESET'), {
        name: 'QueryFailedError',
        driverError: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isDependencyDown(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', Object.assign(new Error('duplicate key value'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['not an error at all', 'boom'],
    ['nothing', undefined],
  ])('does not mistake %s for an outage', (_name, error) => {
    expect(isDependencyDown(error)).toBe(false);
  });
});
