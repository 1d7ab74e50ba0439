import { startDevIdp, type DevIdpClient } from './dev-idp';

// Runs the local identity provider alone: `tsx tools/dev-idp/main.ts`.
// DEV_IDP_PORT (default 8090), DEV_IDP_HOST (default 127.0.0.1), DEV_IDP_ISSUER (default http://<host>:<port>),
// DEV_IDP_CLIENTS: JSON `[{"clientId":"oo-local","clientSecret":"…","redirectUris":["http://localhost:8080/v1/auth/callback"]}]`.
const DEFAULT_CLIENTS: DevIdpClient[] = [
  { clientId: 'oo-local', clientSecret: 'oo-local-secret', redirectUris: ['http://localhost:8080/v1/auth/callback'] },
];

function clientsFrom(json: string | undefined): DevIdpClient[] {
  if (!json) return DEFAULT_CLIENTS;
  const parsed: unknown = JSON.parse(json);
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (c: Partial<DevIdpClient>) =>
        typeof c?.clientId === 'string' && typeof c.clientSecret === 'string' && Array.isArray(c.redirectUris) && c.redirectUris.every((u) => typeof u === 'string'),
    );
  if (!valid) throw new Error('DEV_IDP_CLIENTS must be a JSON array of { clientId, clientSecret, redirectUris: string[] }');
  return parsed as DevIdpClient[];
}

async function main(): Promise<void> {
  const clients = clientsFrom(process.env['DEV_IDP_CLIENTS']);
  const idp = await startDevIdp({
    port: Number(process.env['DEV_IDP_PORT'] ?? 8090),
    host: process.env['DEV_IDP_HOST'] ?? '127.0.0.1',
    ...(process.env['DEV_IDP_ISSUER'] ? { issuer: process.env['DEV_IDP_ISSUER'] } : {}),
    clients,
  });
  console.log(`local identity provider: issuer ${idp.issuer} (discovery ${idp.url}/.well-known/openid-configuration)`);
  console.log(`clients: ${clients.map((c) => `${c.clientId} → ${c.redirectUris.join(', ')}`).join('; ')}`);
  const stop = () => void idp.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
