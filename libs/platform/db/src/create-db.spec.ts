import { createDb, DB_DEFAULTS } from './create-db';
import { DbError } from './errors';

describe('createDb', () => {
  it('defaults to a 15 s statement timeout, a 30 s idle-in-transaction timeout and a 5 s connection wait', () => {
    expect(DB_DEFAULTS).toMatchObject({ statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000, connectionTimeoutMs: 5_000 });
  });

  it('refuses a timeout that is not a whole number of milliseconds, before it reaches the connection options', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const attempt = () => createDb({ url: 'postgres://127.0.0.1:1/none', schema: 'app', statementTimeoutMs: bad });
      expect(attempt).toThrow(DbError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'DB_INVALID_CONFIG' }));
    }
  });
});
