// `npm run deploy:secrets`: random secrets for deploy/compose on one host, written to
// deploy/compose/secrets/ (git-ignored; keep them: they encrypt tokens and sign links). Existing
// files are never overwritten. Fill in the OIDC client of your identity provider in auth.env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { createServiceClient, serviceClientsFile } from '../../apps/auth/src/features/service-clients/service-client-secret';
import { ROOT } from '../services';
import { topology } from './topology';

const dir = join(ROOT, 'deploy/compose/secrets');
mkdirSync(dir, { recursive: true, mode: 0o700 });
const key = () => randomBytes(32).toString('base64url');
const write = (name: string, text: string) => {
  const file = join(dir, name);
  if (existsSync(file)) return console.log(`kept ${name}`);
  writeFileSync(file, text, { mode: 0o600 });
  console.log(`wrote ${name}`);
};

const dbPassword = key();
write('postgres_password', dbPassword);
const services = topology();
const clients = services.filter((s) => s.name !== 'auth').map((s) => createServiceClient(s.name));
const clientSecrets = new Map(clients.map((c) => [c.clientId, c.secret]));
const databaseUrl = `postgres://oo:${dbPassword}@postgres:5432/oo`;
// auth keeps only a digest of each service's client secret.
write('service-clients.json', serviceClientsFile(clients));
const vapid = webpush.generateVAPIDKeys();
const perService: Record<string, Record<string, string>> = {
  auth: { OIDC_ISSUER_URL: 'https://accounts.google.com', OIDC_CLIENT_ID: 'set-me', OIDC_CLIENT_SECRET: 'set-me', AUTH_KEY_ENCRYPTION_KEY: key() },
  integrations: { VAULT_MASTER_KEYS: `k1:${key()}` },
  notifier: { NOTIFIER_LINK_SECRET: key(), VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey },
};
for (const s of services) {
  const entries = { ...(s.stateful ? { DATABASE_URL: databaseUrl } : {}), ...(clientSecrets.has(s.name) ? { SERVICE_CLIENT_SECRET: clientSecrets.get(s.name) ?? '' } : {}), ...perService[s.name] };
  write(`${s.name}.env`, Object.entries(entries).map(([k, v]) => `${k}=${v}\n`).join(''));
}
