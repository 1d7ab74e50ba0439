import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresServer, type PostgresServer } from '@oo/embedded-postgres';

/** A Postgres cluster owned by one test, which it may stop and start; never the shared server. */
export interface PrivatePostgres extends PostgresServer {
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * Starts a private Postgres (the npm package's real server) in a fresh folder on a free port.
 *
 * @example
 * const pg = await startPrivatePostgres();
 * await pg.stop();   // database outage
 * await pg.start();  // back, same port, same data
 * afterAll(() => pg.destroy());
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const parent = await mkdtemp(join(tmpdir(), 'oo-pg-'));
  // As root the server runs as the postgres user, which must be able to enter the folder.
  await chmod(parent, 0o755);
  const server = await startPostgresServer({ dataDir: join(parent, 'data'), password: randomBytes(12).toString('hex') });
  return {
    ...server,
    destroy: async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}
