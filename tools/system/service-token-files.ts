import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevAuth } from './dev-auth';

// Dev service tokens live 12 h; renewed at half-life, so a service re-reading its file at 80 % of
// the token's life always finds a fresh one (the way a platform rotates projected tokens).
const RENEW_EVERY_MS = 6 * 3_600_000;

/** Per-service token files (`SERVICE_TOKEN_FILE`), kept fresh while the launcher runs. */
export interface ServiceTokenFiles {
  pathFor(service: string): string;
  stop(): void;
}

/**
 * Writes a service token for each service into `dir` and rewrites them before they expire.
 *
 * @example
 * const tokens = await writeServiceTokenFiles(auth, '.oo/tokens', ['recommender']);
 * env.SERVICE_TOKEN_FILE = tokens.pathFor('recommender');
 */
export async function writeServiceTokenFiles(auth: DevAuth, dir: string, services: readonly string[]): Promise<ServiceTokenFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pathFor = (service: string) => join(dir, `${service}.token`);
  const writeAll = async (): Promise<void> => {
    for (const service of services) {
      const path = pathFor(service);
      // Written aside and renamed, so a reader never sees half a token.
      writeFileSync(`${path}.next`, await auth.serviceTokenFor(service), { mode: 0o600 });
      renameSync(`${path}.next`, path);
    }
  };
  await writeAll();
  const timer = setInterval(() => void writeAll(), RENEW_EVERY_MS);
  timer.unref();
  return { pathFor, stop: () => clearInterval(timer) };
}
