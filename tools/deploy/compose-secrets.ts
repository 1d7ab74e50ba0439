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
// A value for every secret key topology.ts lists (undefined: left for you to set, e.g. the relay's
// SMTP_URL), and the plain settings that go with some of them.
const secretValue: Record<string, (service: string) => string | undefined> = {
  DATABASE_URL: () => databaseUrl,
  SERVICE_CLIENT_SECRET: (service) => clientSecrets.get(service),
  OIDC_CLIENT_SECRET: () => 'set-me',
  AUTH_KEY_ENCRYPTION_KEY: key,
  VAULT_MASTER_KEYS: () => `k1:${key()}`,
  TODOIST_CLIENT_SECRET: () => undefined,
  GOOGLE_CLIENT_SECRET: () => undefined,
  NOTIFIER_LINK_SECRET: key,
  VAPID_PRIVATE_KEY: () => vapid.privateKey,
  SMTP_URL: () => undefined,
};
const settings: Record<string, Record<string, string>> = {
  auth: { OIDC_ISSUER_URL: 'https://accounts.google.com', OIDC_CLIENT_ID: 'set-me' },
  notifier: { VAPID_PUBLIC_KEY: vapid.publicKey },
};
for (const s of services) {
  const entries: Record<string, string> = { ...settings[s.name] };
  for (const name of s.secrets) {
    const make = secretValue[name];
    if (!make) throw new Error(`topology.ts gives ${s.name} the secret ${name}, which deploy:secrets does not know how to make`);
    const value = make(s.name);
    if (value !== undefined) entries[name] = value;
  }
  write(`${s.name}.env`, Object.entries(entries).map(([k, v]) => `${k}=${v}\n`).join(''));
}
