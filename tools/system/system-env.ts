import { join } from 'node:path';
import { ROOT, type ServiceEntry } from '../services';

/** `ml-serving` → `ML_SERVING`, as in `ML_SERVING_URL`. */
export function envName(service: string): string {
  return service.toUpperCase().replaceAll('-', '_');
}

/** What every service of a development system is told: where each of the others listens, and no inherited secrets. */
export function devSystemEnv(entries: readonly ServiceEntry[], ports: ReadonlyMap<string, number>): Record<string, string | undefined> {
  return {
    AUTH_JWKS: undefined,
    SERVICE_TOKEN: undefined,
    SERVICE_TOKEN_FILE: undefined,
    SERVICE_CLIENT_SECRET: undefined,
    // The gateway serves the web app built from this checkout (tools/start builds it when stale).
    WEB_APP_DIR: join(ROOT, 'apps/web/dist'),
    ...Object.fromEntries(entries.map((s) => [`${envName(s.name)}_URL`, `http://127.0.0.1:${ports.get(s.name)}`])),
  };
}

/** True when `GET <url>/readyz` answers 2xx (ready, or degraded with a broker still coming). */
export function answersReady(url: string): Promise<boolean> {
  return fetch(`${url}/readyz`).then(
    async (r) => {
      await r.arrayBuffer();
      return r.ok;
    },
    () => false,
  );
}

/** The URL of a running service by name; a clear error for a service this checkout does not have. */
export function urlOf(services: ReadonlyMap<string, { url: string }>, name: string): string {
  const service = services.get(name);
  if (!service) throw new Error(`no service named ${name} in this checkout`);
  return service.url;
}
